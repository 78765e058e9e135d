/* jsw-admin.c: /admin, the operator's page (issue 14)
 *
 *   GET  /admin[?month=YYYY-MM]   the figures, or the sign-in form (401)
 *   POST /admin/session           token=<operator token> -> a session cookie
 *   POST /admin/sign-out          ends the session
 *
 * Server-rendered HTML that works without JavaScript (there is none). The
 * operator signs in with the operator token of the configuration
 * (JOBSWIPE_OPERATOR_TOKEN), exchanged for a session cookie that is
 * HttpOnly (no script reads it) and SameSite=Strict (no other site's form
 * or link carries it, so there is no cross-site request to forge). Sign-in
 * attempts are limited like the people's (jsw-login-limiter.c). Every
 * value on the page is HTML-escaped, and the page forbids scripts and
 * framing (Content-Security-Policy).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-admin"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "jsw-admin.h"
#include "jsw-log.h"
#include "jsw-usage-report.h"

#define COOKIE_NAME     "jsw_admin"
#define LIMITER_NAME    "operator"

/* The limiter's first key, per client address: there is one operator
 * token, and a shared key would let anyone lock the operator out from
 * anywhere with five wrong tokens. Each address gets the limit a person's
 * e-mail address gets, and the limiter's own per-address count (shared
 * with the people's sign-in) still applies. */
static char *
limiter_key (const char *address)
{
  return g_strconcat (LIMITER_NAME, " from ", address, NULL);
}
#define FAILED_SHOWN    50

static const char page_style[] =
  "body{font-family:system-ui,sans-serif;margin:2rem;color:#1d1d1d;max-width:72rem}"
  "header{display:flex;justify-content:space-between;align-items:center}"
  "table{border-collapse:collapse;margin:.5rem 0 1.5rem}"
  "th,td{border-bottom:1px solid #ddd;padding:.3rem .7rem;text-align:right}"
  "th:first-child,td:first-child,td.text{text-align:left}"
  "td.error{text-align:left;max-width:32rem;overflow-wrap:anywhere}"
  "#failed th,#failed td{text-align:left}#failed td:first-child{white-space:nowrap}"
  ".problem{color:#a51d2d}";

/* Answers @body (transfer full) as HTML that no script may run in and no
 * other page may frame. */
static void
reply_html (SoupServerMessage *msg,
            guint              status,
            GString           *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  jsw_rest_reply_text (msg, status, "text/html; charset=utf-8", g_string_free (body, FALSE));
}

static GString *
begin_page (const char *title)
{
  GString *page = g_string_new (NULL);
  g_autofree char *escaped = g_markup_escape_text (title, -1);

  g_string_append_printf (page, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                          "<meta name=\"viewport\" content=\"width=device-width\">"
                          "<title>%s</title><style>%s</style></head><body>\n",
                          escaped, page_style);
  return page;
}

static void
end_page (GString *page)
{
  g_string_append (page, "</body></html>\n");
}

/* Appends @text, HTML-escaped. */
static void
append_escaped (GString    *page,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  g_string_append (page, escaped);
}

static void
append_cell (GString    *page,
             const char *css_class,
             const char *text)
{
  g_string_append_printf (page, "<td class=\"%s\">", css_class);
  append_escaped (page, text);
  g_string_append (page, "</td>");
}

static void
append_number_cell (GString    *page,
                    const char *css_class,
                    gint64      value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  append_cell (page, css_class, text);
}

/* The sign-in form */

static void
reply_sign_in (SoupServerMessage *msg,
               guint              status,
               const char        *problem)
{
  GString *page = begin_page (_("JobSwipe — operator sign-in"));

  g_string_append (page, "<h1>");
  append_escaped (page, _("Operator sign-in"));
  g_string_append (page, "</h1>\n");
  if (problem != NULL)
    {
      g_string_append (page, "<p class=\"problem\" id=\"problem\">");
      append_escaped (page, problem);
      g_string_append (page, "</p>\n");
    }
  g_string_append (page, "<form method=\"post\" action=\"/admin/session\"><label>");
  append_escaped (page, _("Operator token"));
  g_string_append (page, " <input type=\"password\" name=\"token\" autocomplete=\"current-password\" required></label> "
                         "<button type=\"submit\">");
  append_escaped (page, _("Sign in"));
  g_string_append (page, "</button></form>\n");
  end_page (page);
  reply_html (msg, status, page);
}

/* The session cookie the browser sent, if any. */
static char *
session_cookie (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Cookie");
  g_autoptr(GHashTable) cookies = NULL;

  if (header == NULL)
    return NULL;
  cookies = soup_header_parse_semi_param_list (header);
  return g_strdup (g_hash_table_lookup (cookies, COOKIE_NAME));
}

static gboolean
signed_in (JswRestContext    *rest,
           SoupServerMessage *msg)
{
  g_autofree char *session = session_cookie (msg);

  return jsw_admin_sessions_check (rest->admin_sessions, session, jsw_rest_now ());
}

static gboolean
is_operator_token (const JswBillingConfig *config,
                   const char             *given)
{
  guint8 expected[32], offered[32];
  gsize length = sizeof expected;
  g_autoptr(GChecksum) a = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GChecksum) b = g_checksum_new (G_CHECKSUM_SHA256);

  if (config->operator_token == NULL || given == NULL)
    return FALSE;
  /* Hashed first, so the comparison takes the same time whatever the
   * lengths; then compared in constant time. */
  g_checksum_update (a, (const guchar *) config->operator_token, -1);
  g_checksum_get_digest (a, expected, &length);
  length = sizeof offered;
  g_checksum_update (b, (const guchar *) given, -1);
  g_checksum_get_digest (b, offered, &length);
  return sodium_memcmp (expected, offered, sizeof expected) == 0;
}

static void
set_cookie (JswRestContext    *rest,
            SoupServerMessage *msg,
            const char        *value,
            gint64             max_age_s)
{
  const char *public_url = rest->config->billing.public_url;
  gboolean secure = public_url != NULL && g_str_has_prefix (public_url, "https://");
  g_autofree char *cookie = g_strdup_printf ("%s=%s; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=%" G_GINT64_FORMAT "%s",
                                             COOKIE_NAME, value, max_age_s, secure ? "; Secure" : "");

  soup_message_headers_append (soup_server_message_get_response_headers (msg), "Set-Cookie", cookie);
}

static void
redirect_to_admin (SoupServerMessage *msg)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", "/admin");
  jsw_rest_reply_text (msg, SOUP_STATUS_SEE_OTHER, "text/plain; charset=utf-8", g_strdup ("/admin\n"));
}

static char *
form_value (SoupServerMessage *msg,
            const char        *name)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  g_autofree char *text = g_strndup (data, length);
  g_autoptr(GHashTable) form = NULL;

  if (length > 4096 || strlen (text) != length || !g_utf8_validate (text, -1, NULL))
    return NULL;
  form = soup_form_decode (text);
  return g_strdup (g_hash_table_lookup (form, name));
}

/* POST /admin/session: token=<operator token> */
void
jsw_admin_sign_in (JswRestContext *rest,
                   JswRestRequest *request)
{
  SoupServerMessage *msg = request->msg;
  g_autofree char *token = form_value (msg, "token");
  g_autofree char *address = jsw_rest_client_address (msg);
  g_autofree char *key = limiter_key (address);
  g_autofree char *session = NULL;
  const char *cid = g_object_get_data (G_OBJECT (msg), JSW_REST_CID_KEY);
  gint64 retry_after;

  if (rest->config->billing.operator_token == NULL)
    {
      reply_sign_in (msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                     _("The operator page is closed: no operator token is configured (JOBSWIPE_OPERATOR_TOKEN)"));
      return;
    }
  retry_after = jsw_login_limiter_try_begin (rest->login_limiter, key, address, jsw_rest_now ());
  if (retry_after > 0)
    {
      jsw_rest_set_retry_after (msg, retry_after);
      reply_sign_in (msg, 429, _("Too many failed sign-ins; wait a while and try again"));
      return;
    }
  if (!is_operator_token (&rest->config->billing, token))
    {
      jsw_log (JSW_LOG_WARNING, cid, "admin.sign_in_refused", "address", 's', address, NULL);
      reply_sign_in (msg, SOUP_STATUS_UNAUTHORIZED, _("That is not the operator token"));
      return;
    }

  jsw_login_limiter_succeeded (rest->login_limiter, key, address);
  session = jsw_admin_sessions_open (rest->admin_sessions, jsw_rest_now ());
  set_cookie (rest, msg, session, JSW_ADMIN_SESSION_TTL / G_USEC_PER_SEC);
  jsw_log (JSW_LOG_INFO, cid, "admin.signed_in", "address", 's', address, NULL);
  redirect_to_admin (msg);
}

/* POST /admin/sign-out */
void
jsw_admin_sign_out (JswRestContext *rest,
                    JswRestRequest *request)
{
  g_autofree char *session = session_cookie (request->msg);

  jsw_admin_sessions_close (rest->admin_sessions, session);
  set_cookie (rest, request->msg, "", 0);
  redirect_to_admin (request->msg);
}

/* The page's parts */

static void
append_headings (GString           *page,
                 const char *const *headings,
                 guint              n_headings)
{
  g_string_append (page, "<thead><tr>");
  for (guint i = 0; i < n_headings; i++)
    {
      g_string_append (page, "<th>");
      append_escaped (page, _(headings[i]));
      g_string_append (page, "</th>");
    }
  g_string_append (page, "</tr></thead><tbody>\n");
}

static void
append_usage (GString    *page,
              GPtrArray  *lines,
              const char *month)
{
  static const char *const headings[] = {
    N_("Plan"), N_("Users"), N_("Paying users"), N_("Server applications"),
    N_("Desktop applications"), N_("Success rate"), N_("Needs-you rate"), N_("Revenue"),
  };

  g_string_append (page, "<section><h2>");
  append_escaped (page, _("Usage in"));
  g_string_append (page, " <span id=\"month\">");
  append_escaped (page, month);
  g_string_append (page, "</span></h2>\n<form method=\"get\" action=\"/admin\"><label>");
  append_escaped (page, _("Month"));
  g_string_append (page, " <input name=\"month\" placeholder=\"YYYY-MM\" value=\"");
  append_escaped (page, month);
  g_string_append (page, "\"></label> <button type=\"submit\">");
  append_escaped (page, _("Show"));
  g_string_append (page, "</button></form>\n<table id=\"usage\">");
  append_headings (page, headings, G_N_ELEMENTS (headings));

  for (guint i = 0; i < lines->len; i++)
    {
      JswPlanUsage *line = g_ptr_array_index (lines, i);
      g_autofree char *success = jsw_usage_report_format_rate (jsw_usage_report_rate (line->submitted, line->finished));
      g_autofree char *needs_you = jsw_usage_report_format_rate (jsw_usage_report_rate (line->needs_you, line->finished));
      g_autofree char *revenue = jsw_usage_report_format_revenue (line);

      g_string_append (page, "<tr data-plan=\"");
      append_escaped (page, line->plan);
      g_string_append (page, "\">");
      append_cell (page, "plan", line->plan);
      append_number_cell (page, "users", line->users);
      append_number_cell (page, "paying", line->paying_users);
      append_number_cell (page, "server", line->server_entries);
      append_number_cell (page, "desktop", line->desktop_entries);
      append_cell (page, "success", success);
      append_cell (page, "needs-you", needs_you);
      append_cell (page, "revenue", revenue);
      g_string_append (page, "</tr>\n");
    }
  g_string_append (page, "</tbody></table></section>\n");
}

static void
append_queue (GString *page,
              gint64   counts[JSW_N_STATES][3])
{
  static const JswTarget targets[] = { JSW_TARGET_SERVER, JSW_TARGET_DESKTOP, JSW_TARGET_UNDECIDED };

  g_string_append (page, "<section><h2>");
  append_escaped (page, _("Queue"));
  g_string_append (page, "</h2>\n<table id=\"queue\"><thead><tr><th>");
  append_escaped (page, _("State"));
  g_string_append (page, "</th>");
  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      g_string_append (page, "<th>");
      append_escaped (page, jsw_target_to_string (targets[t]));
      g_string_append (page, "</th>");
    }
  g_string_append (page, "</tr></thead><tbody>\n");
  for (int state = 0; state < JSW_N_STATES; state++)
    {
      g_string_append_printf (page, "<tr data-state=\"%s\">", jsw_state_to_string ((JswState) state));
      append_cell (page, "state", jsw_state_to_string ((JswState) state));
      for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
        append_number_cell (page, jsw_target_to_string (targets[t]), counts[state][targets[t]]);
      g_string_append (page, "</tr>\n");
    }
  g_string_append (page, "</tbody></table></section>\n");
}

static void
append_connected (GString    *page,
                  JswMetrics *metrics)
{
  g_string_append (page, "<section><h2>");
  append_escaped (page, _("Connected now"));
  g_string_append (page, "</h2>\n<table id=\"connected\"><tbody><tr>");
  append_cell (page, "text", _("Desktops"));
  g_string_append_printf (page, "<td id=\"desktops\">%" G_GINT64_FORMAT "</td></tr><tr>",
                          jsw_metrics_get_streams (metrics, JSW_KIND_DESKTOP));
  append_cell (page, "text", _("Workers"));
  g_string_append_printf (page, "<td id=\"workers\">%" G_GINT64_FORMAT "</td></tr></tbody></table></section>\n",
                          jsw_metrics_get_streams (metrics, JSW_KIND_SERVER));
}

static void
append_failed (GString   *page,
               GPtrArray *failed)
{
  static const char *const headings[] = { N_("When"), N_("Person"), N_("Job"), N_("Target"), N_("Error") };

  g_string_append (page, "<section><h2>");
  append_escaped (page, _("Last failed entries"));
  g_string_append (page, "</h2>\n<table id=\"failed\">");
  append_headings (page, headings, G_N_ELEMENTS (headings));
  for (guint i = 0; i < failed->len; i++)
    {
      JswFailedEntry *entry = g_ptr_array_index (failed, i);
      g_autofree char *when = jsw_time_format (entry->updated_at);

      g_string_append (page, "<tr data-entry=\"");
      append_escaped (page, entry->entry_id);
      g_string_append (page, "\">");
      append_cell (page, "text", when);
      append_cell (page, "text", entry->email);
      append_cell (page, "text", entry->job_id);
      append_cell (page, "text", entry->target);
      append_cell (page, "error", entry->error);
      g_string_append (page, "</tr>\n");
    }
  g_string_append (page, "</tbody></table></section>\n");
}

/* GET /admin[?month=YYYY-MM] */
void
jsw_admin_page (JswRestContext *rest,
                JswRestRequest *request)
{
  SoupServerMessage *msg = request->msg;
  const char *asked = request->query ? g_hash_table_lookup (request->query, "month") : NULL;
  g_autoptr(GError) month_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) failed = NULL;
  g_autofree char *month = NULL;
  gint64 counts[JSW_N_STATES][3];
  gint64 start, end, now = jsw_rest_now ();
  GString *page;

  if (rest->config->billing.operator_token == NULL)
    {
      reply_sign_in (msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                     _("The operator page is closed: no operator token is configured (JOBSWIPE_OPERATOR_TOKEN)"));
      return;
    }
  if (!signed_in (rest, msg))
    {
      reply_sign_in (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
      return;
    }

  /* A month that is not one is said so, and this month is shown. */
  if (asked != NULL && *asked != '\0')
    jsw_usage_report_month (asked, now, &start, &end, &month, &month_error);
  if (month == NULL)
    jsw_usage_report_month (NULL, now, &start, &end, &month, NULL);

  lines = jsw_store_usage_report (rest->store, start, end, now, &error);
  if (lines == NULL || !jsw_store_count_by_state_and_target (rest->store, counts, &error) ||
      (failed = jsw_store_list_failed_entries (rest->store, FAILED_SHOWN, &error)) == NULL)
    {
      jsw_rest_reply_error (msg, error);
      return;
    }

  page = begin_page (_("JobSwipe — operator"));
  g_string_append (page, "<header><h1>");
  append_escaped (page, _("JobSwipe operator"));
  g_string_append (page, "</h1><form method=\"post\" action=\"/admin/sign-out\"><button type=\"submit\">");
  append_escaped (page, _("Sign out"));
  g_string_append (page, "</button></form></header>\n");
  if (month_error != NULL)
    {
      g_string_append (page, "<p class=\"problem\" id=\"problem\">");
      append_escaped (page, month_error->message);
      g_string_append (page, "</p>\n");
    }
  append_usage (page, lines, month);
  append_queue (page, counts);
  append_connected (page, rest->metrics);
  append_failed (page, failed);
  end_page (page);
  reply_html (msg, month_error != NULL ? SOUP_STATUS_BAD_REQUEST : SOUP_STATUS_OK, page);
}
