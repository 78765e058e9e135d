/* jsw-test-subscriber.h: a hub subscriber that keeps what it is pushed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-hub.h"

G_BEGIN_DECLS

#define JSW_TYPE_TEST_SUBSCRIBER (jsw_test_subscriber_get_type ())

G_DECLARE_FINAL_TYPE (JswTestSubscriber, jsw_test_subscriber, JSW, TEST_SUBSCRIBER, GObject)

struct _JswTestSubscriber
{
  GObject            parent_instance;

  GPtrArray         *frames;          /* the frames pushed, in order */
  GArray            *seqs;            /* gint64: their seqs */
  JswHub            *hub;             /* unowned */
  char              *channel;
  JswTestSubscriber *leaving;         /* unsubscribed on the next push, if set */
  gboolean           drop_reference;  /* ...and the reference to it dropped */
};

JswTestSubscriber *jsw_test_subscriber_new (JswHub     *hub,
                                            const char *channel);

G_END_DECLS
