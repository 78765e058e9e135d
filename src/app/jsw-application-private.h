/* jsw-application-private.h: what jsw-application.c and
 * jsw-application-actions.c share, as GNOME Text Editor's
 * editor-application-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-application.h"
#include "jsw-cache.h"
#include "jsw-profile-store.h"
#include "jsw-queue-client.h"
#include "jsw-queue-model.h"
#include "jsw-runner.h"
#include "jsw-session.h"
#include "jsw-tray.h"

G_BEGIN_DECLS

struct _JswApplication
{
  AdwApplication   parent_instance;

  GSettings       *settings;
  JswSession      *session;
  JswProfileStore *profile_store;

  /* Once signed in: */
  JswCache        *cache;
  JswEngine       *engine;
  JswQueueClient  *client;
  JswQueueModel   *queue;
  JswRunner       *runner;

  JswTray         *tray;
  gboolean         held;
  gboolean         needs_attention;
  guint            needing_person;   /* entries needing the person, last counted */
};

void _jsw_application_add_actions (JswApplication *self);
void _jsw_application_show_window (JswApplication *self);

G_END_DECLS
