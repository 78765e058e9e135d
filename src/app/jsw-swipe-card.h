/* jsw-swipe-card.h: one posting, as a card to swipe
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "jsw-deck-model.h"

G_BEGIN_DECLS

#define JSW_TYPE_SWIPE_CARD (jsw_swipe_card_get_type ())

G_DECLARE_FINAL_TYPE (JswSwipeCard, jsw_swipe_card, JSW, SWIPE_CARD, GtkWidget)

GtkWidget  *jsw_swipe_card_new            (void);
void        jsw_swipe_card_set_posting    (JswSwipeCard *self,
                                           JsonObject   *posting);
JsonObject *jsw_swipe_card_get_posting    (JswSwipeCard *self);
void        jsw_swipe_card_set_where      (JswSwipeCard *self,
                                           JswDeckWhere  where);
void        jsw_swipe_card_set_unanswered (JswSwipeCard *self,
                                           int           n_questions);
void        jsw_swipe_card_set_lean       (JswSwipeCard *self,
                                           double        lean);
void        jsw_swipe_card_set_reveal     (JswSwipeCard *self,
                                           double        reveal);
char       *jsw_swipe_card_posted_text    (const char   *posted_at,
                                           GDateTime    *now);
const char *jsw_swipe_card_get_text       (JswSwipeCard *self,
                                           const char   *part);

G_END_DECLS
