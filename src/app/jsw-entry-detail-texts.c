/* jsw-entry-detail-texts.c
 *
 * What the detail pane says: the posting as it was when swiped, what the
 * last run here filled in beside the picture of its last page, the state
 * line, and the action area's title and text for what it shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-entry-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-entry-detail-private.h"
#include "jsw-json.h"

/* The posting as it was when swiped: where, for how much, what kind, and
 * its description. */
void
_jsw_entry_detail_show_facts (JswEntryDetail *self,
                              JswEntry       *entry)
{
  JsonObject *job = json_node_get_object (jsw_job_get_node (entry->snapshot));
  static const char *members[] = { "location", "salary", "employment_type" };
  g_autoptr(GString) facts = g_string_new (NULL);
  const char *description = json_object_get_string_member_with_default (job, "description", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const char *value = json_object_get_string_member_with_default (job, members[i], NULL);

      if (value == NULL || *value == '\0')
        continue;
      if (facts->len > 0)
        g_string_append (facts, " · ");
      g_string_append (facts, value);
    }
  if (description != NULL && *description != '\0')
    g_string_append_printf (facts, "%s%s", facts->len > 0 ? "\n\n" : "", description);
  gtk_label_set_label (self->detail_facts, facts->str);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_facts), facts->len > 0);
}

/* The history: what the run filled in, beside the picture of its last
 * page (the confirmation, or what the form said), when this computer ran
 * it. */
void
_jsw_entry_detail_show_last_run (JswEntryDetail *self,
                                 JswEntry       *entry,
                                 JsonObject     *record)
{
  g_autofree char *path = jsw_runner_screenshot_path (entry->id);
  JsonArray *filled = NULL;
  g_autoptr(GString) sent = g_string_new (NULL);
  gboolean picture = entry->has_result && g_file_test (path, G_FILE_TEST_EXISTS);

  if (record != NULL)
    jsw_json_get_array (record, "filled", 0, &filled, NULL);
  for (guint i = 0; filled != NULL && i < json_array_get_length (filled); i++)
    {
      JsonNode *node = json_array_get_element (filled, i);
      JsonObject *value = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autofree char *label = NULL;
      g_autofree char *text = NULL;

      if (value == NULL)
        continue;
      label = g_markup_escape_text (json_object_get_string_member_with_default (value, "label", ""), -1);
      text = g_markup_escape_text (json_object_get_string_member_with_default (value, "value", ""), -1);
      g_string_append_printf (sent, "%s<b>%s</b>\n%s", sent->len > 0 ? "\n\n" : "", label, text);
    }
  gtk_label_set_markup (self->sent_label, sent->str);
  gtk_widget_set_visible (GTK_WIDGET (self->sent_label), sent->len > 0);
  /* A run that filled nothing in (the page had no form) has only its
   * picture to show. */
  gtk_widget_set_visible (self->sent_heading, sent->len > 0);
  if (picture)
    gtk_picture_set_filename (self->detail_picture, path);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_picture), picture);
  gtk_widget_set_visible (self->sent_box, picture || sent->len > 0);
}

static char *
rejected_text (GPtrArray *blockers)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < blockers->len; i++)
    {
      JswBlocker *blocker = g_ptr_array_index (blockers, i);

      if (blocker->code != JSW_BLOCKER_FIELD_REJECTED)
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      if (blocker->label != NULL && blocker->message != NULL)
        /* TRANSLATORS: a field of the employer's form, then what the employer's site said about it */
        g_string_append_printf (text, _("%s: “%s”"), blocker->label, blocker->message);
      else
        g_string_append_printf (text, "“%s”", blocker->message ? blocker->message : blocker->label);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
walls_text (GPtrArray *blockers)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < blockers->len; i++)
    {
      JswBlocker *blocker = g_ptr_array_index (blockers, i);
      g_autofree char *words = NULL;

      if (!jsw_blocker_needs_page (blocker))
        continue;
      words = jsw_blocker_describe (blocker);
      g_string_append_printf (text, "%s%s", text->len > 0 ? "\n" : "", words);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

void
_jsw_entry_detail_show_texts (JswEntryDetail *self,
                              Showing         showing,
                              JswEntry       *entry,
                              GPtrArray      *blockers,
                              gboolean        page_here)
{
  g_autofree char *text = NULL;
  g_autofree char *walls = walls_text (blockers);
  g_autofree char *rejected = rejected_text (blockers);
  const char *title = NULL;

  switch (showing)
    {
    case SHOW_REVIEW:
      title = _("Ready to Review");
      text = g_strdup (_("The application is filled in below. Look it over (you can change anything on the page), "
                         "then send it. “Don’t Send” cancels the application."));
      break;
    case SHOW_WALL:
      title = _("This Application Needs You");
      if (page_here)
        text = g_strdup_printf (_("%s. Do it in the page below, then press Continue: the application goes on from there."),
                                walls);
      else
        text = g_strdup_printf (_("%s. Continue opens the form again, for you to do it there."),
                                walls);
      break;
    case SHOW_QUESTIONS:
      title = _("This Application Needs You");
      text = g_strdup (_("The form asks what only you can answer. Answer here, then press Continue."));
      break;
    case SHOW_REJECTED:
      title = _("The Employer’s Form Refused an Answer");
      text = g_strdup_printf (_("%s\nCorrect it in your profile, then retry."), rejected);
      break;
    case SHOW_FROM_SERVER:
      title = _("This Application Needs You");
      /* TRANSLATORS: %s is what the server's run said (a sentence, or the questions it could not answer) */
      text = g_strdup_printf (_("The server could not finish it:\n%s"), entry->error ? entry->error : "");
      break;
    case SHOW_LATER:
      title = _("Needs You");
      text = g_strdup (_("Put off for later. Answer whenever you like."));
      break;
    case SHOW_CHOICE:
      title = _("Where Should It Be Applied From?");
      text = g_strdup (_("On the server it runs even while this computer is off; on this computer you can watch it."));
      break;
    case SHOW_QUEUED:
      text = g_strdup (entry->target == JSW_TARGET_DESKTOP ? _("Waiting to be applied to from this computer.")
                                                           : _("Waiting to be applied to from the server."));
      break;
    case SHOW_ELSEWHERE:
      text = g_strdup (entry->claimed_kind == JSW_KIND_SERVER ? _("Being applied to on the server.")
                                                              : _("Being applied to on another computer."));
      break;
    case SHOW_FAILED:
      title = _("Could Not Apply");
      text = g_strdup (entry->error);
      break;
    case SHOW_CHECK:
      title = _("Check Whether It Was Sent");
      /* The server's needs_review: the run was past `submitting` and then
       * the site showed no confirmation, or the run stopped (the computer
       * or the worker went away, or the send was withheld without the
       * server's ack). Which one, the entry does not say; so neither do we. */
      text = g_strdup (_("It is not known whether the form reached the employer: the site showed no "
                         "confirmation, or applying stopped while the form was being sent. Check with the "
                         "employer (an e-mail, or the posting), then say whether it was sent."));
      break;
    case SHOW_RUNNING:
    case SHOW_DONE:
    case SHOW_NOTHING:
    default:
      break;
    }
  if (self->cancelling_id != NULL && entry != NULL && g_str_equal (self->cancelling_id, entry->id))
    {
      title = _("Cancelled");
      g_clear_pointer (&text, g_free);
    }
  gtk_label_set_label (self->action_title, title ? title : "");
  gtk_widget_set_visible (GTK_WIDGET (self->action_title), title != NULL);
  gtk_label_set_label (self->action_text, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->action_text), text != NULL && *text != '\0');
}

void
_jsw_entry_detail_show_state_line (JswEntryDetail *self,
                                   JswEntry       *entry)
{
  g_autofree char *state = NULL;

  if (entry->state == JSW_STATE_SUBMITTED && entry->has_result && entry->confirmation != NULL)
    state = g_strdup_printf ("%s — %s", jsw_entry_item_get_state_label (self->item), entry->confirmation);
  else
    state = g_strdup (jsw_entry_item_get_state_label (self->item));
  gtk_label_set_label (self->detail_state, state);
}
