/* jsw-profile-page-private.h: what the profile page (jsw-profile-page.c)
 * shares with its lists (jsw-profile-page-lists.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-profile-page.h"

G_BEGIN_DECLS

struct _JswProfilePage
{
  AdwPreferencesPage   parent_instance;

  JswProfileStore     *store;
  JswProfile          *profile;    /* the copy being edited */
  guint                save_id;

  AdwPreferencesGroup *details_group;
  AdwPreferencesGroup *letter_group;
  GtkTextView         *letter_view;
  AdwActionRow        *resume_row;
  GtkWidget           *resume_remove;
  GtkWidget           *resume_choose;
  AdwPreferencesGroup *lists_group[2];  /* experience, education */
  GPtrArray           *list_rows[2];
  AdwPreferencesGroup *answers_group;
  GPtrArray           *answer_rows;
  AdwPreferencesGroup *eeo_group;
  JswProfileSync      *sync;       /* (nullable): the copy kept on the server */
};

GtkWidget           *_jsw_profile_page_field_row    (const JswProfileField *field,
                                                     const char            *text);
GtkWidget           *_jsw_profile_page_icon_button  (const char            *icon_name,
                                                     const char            *label);
AdwPreferencesGroup *_jsw_profile_page_new_group    (JswProfilePage        *self,
                                                     const char            *title,
                                                     const char            *description);

/* jsw-profile-page-lists.c */
void                 _jsw_profile_page_add_lists    (JswProfilePage        *self);
void                 _jsw_profile_page_add_answers  (JswProfilePage        *self);

G_END_DECLS
