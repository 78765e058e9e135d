/* jsw-deck-questions.h: a posting's unanswered questions, asked before
 * applying
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* @answers: (nullable): question -> answer, or %NULL when the person
 * cancelled */
typedef void (*JswDeckQuestionsDone) (GHashTable *answers,
                                      gpointer    data);

GtkWindow *jsw_deck_questions_ask (GtkWidget            *parent,
                                   JsonObject           *posting,
                                   JsonArray            *questions,
                                   JswDeckQuestionsDone  done,
                                   gpointer              data);

G_END_DECLS
