/* jsw-discover-page-private.h: what the Discover view (jsw-discover-page.c)
 * shares with its handling of the server's refusals
 * (jsw-discover-page-refusals.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-discover-page.h"
#include "jsw-matcher.h"

G_BEGIN_DECLS

struct _JswDiscoverPage
{
  GtkWidget        parent_instance;

  JswSession      *session;
  JswDeckModel    *model;
  JswProfileStore *profile_store;
  JswMatcher      *matcher;
  GHashTable      *unanswered;        /* posting id -> JsonArray of QUESTION */
  char            *allow_duplicate;   /* the posting id Apply Anyway was chosen for */
  AdwToast        *toast;             /* the last swipe's, while shown */
  gint64           last_swipe;        /* monotonic µs */
  GtkWindow       *asking;            /* the questions' dialog, while open */

  GtkStack        *stack;
  AdwToastOverlay *toast_overlay;
  JswDeckView     *deck_view;
  GtkLabel        *waiting_label;
  GtkWidget       *buttons;
};

/* Over the deck, not over the buttons below it. */
static inline void
add_toast (JswDiscoverPage *self,
           AdwToast        *toast)
{
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static inline const char *
posting_string (JsonObject *posting,
                const char *member)
{
  return posting ? json_object_get_string_member_with_default (posting, member, "") : "";
}

void _jsw_discover_page_on_refused (JswDiscoverPage *self,
                                    JsonObject      *posting,
                                    guint            status,
                                    const char      *message,
                                    JsonObject      *duplicate_of);

G_END_DECLS
