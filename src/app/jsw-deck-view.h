/* jsw-deck-view.h: the cards of the deck, dragged and thrown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "jsw-deck-model.h"
#include "jsw-swipe-card.h"

G_BEGIN_DECLS

#define JSW_TYPE_DECK_VIEW (jsw_deck_view_get_type ())

G_DECLARE_FINAL_TYPE (JswDeckView, jsw_deck_view, JSW, DECK_VIEW, GtkWidget)

/* A release past this share of the card's width throws it. */
#define JSW_DECK_VIEW_THRESHOLD 0.3

GtkWidget    *jsw_deck_view_new            (void);
void          jsw_deck_view_set_model      (JswDeckView  *self,
                                            JswDeckModel *model);
JswSwipeCard *jsw_deck_view_get_front      (JswDeckView  *self);
JswSwipeCard *jsw_deck_view_get_card       (JswDeckView  *self,
                                            guint         position);
void          jsw_deck_view_throw          (JswDeckView  *self,
                                            gboolean      right);
void          jsw_deck_view_land           (JswDeckView  *self);
gboolean      jsw_deck_view_get_busy       (JswDeckView  *self);
double        jsw_deck_view_get_offset     (JswDeckView  *self);
void          jsw_deck_view_refresh        (JswDeckView  *self);
void          jsw_deck_view_after_frame    (JswDeckView    *self,
                                            GSourceFunc     func,
                                            gpointer        data,
                                            GDestroyNotify  destroy);

G_END_DECLS
