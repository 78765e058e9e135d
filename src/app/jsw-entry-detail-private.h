/* jsw-entry-detail-private.h: what the detail pane (jsw-entry-detail.c)
 * shares with its actions (jsw-entry-detail-actions.c), its texts
 * (jsw-entry-detail-texts.c) and its test driver (jsw-entry-detail-driver.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-entry-detail.h"

G_BEGIN_DECLS

typedef enum {
  SHOW_NOTHING,
  SHOW_RUNNING,
  SHOW_REVIEW,
  SHOW_WALL,
  SHOW_QUESTIONS,
  SHOW_REJECTED,
  SHOW_LATER,
  SHOW_CHOICE,
  SHOW_QUEUED,
  SHOW_ELSEWHERE,
  SHOW_FAILED,
  SHOW_CHECK,
  SHOW_DONE,
  SHOW_FROM_SERVER,  /* the server handed it to the person: Apply Now takes it here */
} Showing;

struct _JswEntryDetail
{
  AdwBin              parent_instance;

  JswEntryItem       *item;
  JswRunner          *runner;
  GSimpleActionGroup *actions;
  Showing             showing;
  char               *questions_of;   /* the entry and blockers the rows ask, "id\n[json]" */
  char               *later_id;       /* put off with Later, until shown again */
  char               *cancelling_id;  /* cancelled, while Undo is offered */
  AdwToast           *undo_toast;

  AdwToastOverlay    *toast_overlay;
  GtkLabel           *detail_title;
  GtkLabel           *detail_company;
  GtkLabel           *detail_state;
  GtkProgressBar     *detail_progress;
  GtkWidget          *action_area;
  GtkLabel           *action_title;
  GtkLabel           *action_text;
  GtkListBox         *questions_list;
  GtkCheckButton     *remember_check;
  GtkWidget          *open_posting_button;
  GtkWidget          *cancel_button;
  GtkWidget          *not_sent_button;
  GtkWidget          *sent_button;
  GtkWidget          *profile_button;
  GtkWidget          *later_button;
  GtkWidget          *run_server_button;
  GtkWidget          *run_here_button;
  GtkWidget          *dont_send_button;
  GtkWidget          *send_button;
  GtkWidget          *apply_button;
  GtkWidget          *retry_button;
  GtkWidget          *continue_button;
  GtkWidget          *buttons;
  AdwLeaflet         *leaflet;        /* (unowned): the window's, while rooted in it */
  GtkStack           *content;
  GtkBox             *browser_slot;
  GtkLabel           *detail_facts;
  GtkWidget          *sent_box;
  GtkWidget          *sent_heading;
  GtkLabel           *sent_label;
  GtkPicture         *detail_picture;
};

void        _jsw_entry_detail_update           (JswEntryDetail *self);
JswEntry   *_jsw_entry_detail_shown_entry      (JswEntryDetail *self);
const char *_jsw_entry_detail_shown_id         (JswEntryDetail *self);
gpointer    _jsw_entry_detail_dup_application_part (JswEntryDetail *self,
                                                const char     *name);
void        _jsw_entry_detail_toast            (JswEntryDetail *self,
                                                const char     *text);
void        _jsw_entry_detail_add_actions      (JswEntryDetail *self);
void        _jsw_entry_detail_cancel_now       (JswEntryDetail *self);
GPtrArray  *_jsw_entry_detail_record_blockers  (JsonObject     *record);

/* jsw-entry-detail-texts.c */
void        _jsw_entry_detail_show_facts       (JswEntryDetail *self,
                                                JswEntry       *entry);
void        _jsw_entry_detail_show_last_run    (JswEntryDetail *self,
                                                JswEntry       *entry,
                                                JsonObject     *record);
void        _jsw_entry_detail_show_state_line  (JswEntryDetail *self,
                                                JswEntry       *entry);
void        _jsw_entry_detail_show_texts       (JswEntryDetail *self,
                                                Showing         showing,
                                                JswEntry       *entry,
                                                GPtrArray      *blockers,
                                                gboolean        page_here);

const char *_jsw_entry_detail_get_showing   (JswEntryDetail *self);
const char *_jsw_entry_detail_get_text      (JswEntryDetail *self);
GtkListBox *_jsw_entry_detail_get_questions (JswEntryDetail *self);
GtkBox     *_jsw_entry_detail_get_slot      (JswEntryDetail *self);

G_END_DECLS
