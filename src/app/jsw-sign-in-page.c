/* jsw-sign-in-page.c
 *
 * The page a new person sees first. The server's address starts empty
 * (its placeholder shows what one looks like); Enter in any row signs in;
 * while the server answers a spinner turns and signing in again waits; what went
 * wrong is said under the rows and marked on the row at fault, so the
 * person knows what to change. Signed in, the session's `signed-in`
 * changes, which the window follows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-sign-in-page"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-sign-in-page.h"

struct _JswSignInPage
{
  AdwBin               parent_instance;

  JswSession          *session;
  GCancellable        *cancellable;

  GtkWidget           *sign_in_button;
  AdwEntryRow         *server_row;
  AdwEntryRow         *email_row;
  AdwPasswordEntryRow *password_row;
  AdwPasswordEntryRow *token_row;
  GtkLabel            *error_label;
  GtkSpinner          *spinner;
};

G_DEFINE_FINAL_TYPE (JswSignInPage, jsw_sign_in_page, ADW_TYPE_BIN)

static GtkWidget *
all_rows (JswSignInPage *self,
          guint          i)
{
  GtkWidget *rows[] = {
    GTK_WIDGET (self->server_row), GTK_WIDGET (self->email_row),
    GTK_WIDGET (self->password_row), GTK_WIDGET (self->token_row), NULL
  };

  return rows[i];
}

static void
clear_errors (JswSignInPage *self)
{
  for (guint i = 0; all_rows (self, i) != NULL; i++)
    {
      gtk_widget_remove_css_class (all_rows (self, i), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (all_rows (self, i)), GTK_ACCESSIBLE_STATE_INVALID);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

/* @row: the row at fault, which gets the error style and the focus */
static void
show_error (JswSignInPage *self,
            GtkWidget     *row,
            const char    *message)
{
  gtk_widget_add_css_class (row, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  gtk_widget_grab_focus (row);
}

static void
set_busy (JswSignInPage *self,
          gboolean       busy)
{
  /* The rows stay as they are (taking the focus from a row being typed
   * into would lose the place); only signing in again waits. */
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.sign-in", !busy);
}

static const char *
text_of (gpointer row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* Which row a failed sign-in is about: the server's address when it is
 * not one or cannot be reached; else what was given to sign in with. */
static GtkWidget *
row_at_fault (JswSignInPage *self,
              const GError  *error)
{
  gboolean with_token = *text_of (self->token_row) != '\0';

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_FAILED))
    return GTK_WIDGET (self->server_row);
  if (with_token)
    return GTK_WIDGET (self->token_row);
  return *text_of (self->email_row) == '\0' ? GTK_WIDGET (self->email_row) : GTK_WIDGET (self->password_row);
}

static void
signed_in (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(JswSignInPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!jsw_session_sign_in_finish (JSW_SESSION (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_busy (self, FALSE);
      show_error (self, row_at_fault (self, error), error->message);
      return;
    }
  /* Signed in: the session's signed-in changes, and the window moves on. */
  set_busy (self, FALSE);
}

/* What can be told without asking the server. */
static gboolean
check_rows (JswSignInPage *self)
{
  gboolean with_token = *text_of (self->token_row) != '\0';

  if (*text_of (self->server_row) == '\0')
    show_error (self, GTK_WIDGET (self->server_row), _("Enter the address of your JobSwipe server"));
  else if (!with_token && *text_of (self->email_row) == '\0')
    show_error (self, GTK_WIDGET (self->email_row), _("Enter your e-mail address, or a device token"));
  else if (!with_token && *text_of (self->password_row) == '\0')
    show_error (self, GTK_WIDGET (self->password_row), _("Enter your password"));
  else
    return TRUE;
  return FALSE;
}

static void
sign_in (GtkWidget  *widget,
         const char *action,
         GVariant   *parameter)
{
  JswSignInPage *self = JSW_SIGN_IN_PAGE (widget);
  gboolean with_token = *text_of (self->token_row) != '\0';
  g_autofree char *server = g_strstrip (g_strdup (text_of (self->server_row)));

  clear_errors (self);
  if (!check_rows (self))
    return;
  set_busy (self, TRUE);
  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  jsw_session_sign_in_async (self->session, server,
                             with_token ? NULL : text_of (self->email_row),
                             with_token ? NULL : text_of (self->password_row),
                             with_token ? text_of (self->token_row) : NULL,
                             self->cancellable, signed_in, g_object_ref (self));
}

static void
on_entry_activated (JswSignInPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "sign-in.sign-in", NULL);
}

static void
jsw_sign_in_page_dispose (GObject *object)
{
  JswSignInPage *self = (JswSignInPage *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), JSW_TYPE_SIGN_IN_PAGE);
  G_OBJECT_CLASS (jsw_sign_in_page_parent_class)->dispose (object);
}

static void
jsw_sign_in_page_class_init (JswSignInPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = jsw_sign_in_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jobswipe/JobSwipe/ui/jsw-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JswSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, JswSignInPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, JswSignInPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, JswSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, JswSignInPage, token_row);
  gtk_widget_class_bind_template_child (widget_class, JswSignInPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, JswSignInPage, spinner);
  gtk_widget_class_install_action (widget_class, "sign-in.sign-in", NULL, sign_in);
}

static void
jsw_sign_in_page_init (JswSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Shown once the row has the focus (its title stands in until then). */
  gtk_text_set_placeholder_text (GTK_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (self->server_row))),
                                 "https://jobswipe.example.org");
  for (guint i = 0; all_rows (self, i) != NULL; i++)
    g_signal_connect_swapped (all_rows (self, i), "entry-activated", G_CALLBACK (on_entry_activated), self);
}

/* @session: what signs in; the server's address starts as the last one
 * used, or empty. */
GtkWidget *
jsw_sign_in_page_new (JswSession *session)
{
  JswSignInPage *self = g_object_new (JSW_TYPE_SIGN_IN_PAGE, NULL);
  g_autofree char *server = jsw_session_dup_server_url (session);

  self->session = g_object_ref (session);
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server ? server : "");
  return GTK_WIDGET (self);
}
