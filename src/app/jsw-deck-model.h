/* jsw-deck-model.h: the postings to swipe, and the swipes on their way
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "jsw-cache.h"
#include "jsw-session.h"

G_BEGIN_DECLS

#define JSW_TYPE_DECK_MODEL (jsw_deck_model_get_type ())

G_DECLARE_FINAL_TYPE (JswDeckModel, jsw_deck_model, JSW, DECK_MODEL, GObject)

/* Where a right swipe's application will run, as the person's mode and
 * remaining quota say (GET /v1/me). */
typedef enum {
  JSW_DECK_WHERE_UNKNOWN,
  JSW_DECK_WHERE_DESKTOP,
  JSW_DECK_WHERE_SERVER,
  JSW_DECK_WHERE_ASK,
} JswDeckWhere;

/* Why the model has no posting to show. */
typedef enum {
  JSW_DECK_STATE_LOADING,
  JSW_DECK_STATE_READY,
  JSW_DECK_STATE_EMPTY,     /* every posting of the search was seen */
  JSW_DECK_STATE_OFFLINE,   /* nothing cached, and the server is not reached */
} JswDeckState;

JswDeckModel *jsw_deck_model_new             (JswSession   *session,
                                              JswCache     *cache);
JswDeckState  jsw_deck_model_get_state       (JswDeckModel *self);
guint         jsw_deck_model_get_n_postings  (JswDeckModel *self);
JsonObject   *jsw_deck_model_get_posting     (JswDeckModel *self,
                                              guint         position);
JswDeckWhere  jsw_deck_model_get_where       (JswDeckModel *self);
void          jsw_deck_model_reload          (JswDeckModel *self);
void          jsw_deck_model_swipe           (JswDeckModel *self,
                                              gboolean      right,
                                              gboolean      allow_duplicate);
gboolean      jsw_deck_model_can_undo        (JswDeckModel *self);
void          jsw_deck_model_undo            (JswDeckModel *self);
guint         jsw_deck_model_get_n_waiting   (JswDeckModel *self);
void          jsw_deck_model_flush           (JswDeckModel *self);

G_END_DECLS
