/* jsw-question-row.h: one question of a form, asked in the app the way
 * the form asks it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "jsw-blocker.h"

G_BEGIN_DECLS

GtkWidget  *jsw_question_row_new        (JswBlocker *blocker);
const char *jsw_question_row_get_label  (GtkWidget  *row);
JswAskKind  jsw_question_row_get_kind   (GtkWidget  *row);
char       *jsw_question_row_dup_answer (GtkWidget  *row);
gboolean    jsw_question_row_set_answer (GtkWidget  *row,
                                         const char *answer);

G_END_DECLS
