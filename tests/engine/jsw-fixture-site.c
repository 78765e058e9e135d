/* jsw-fixture-site.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "jsw-fixture-site.h"

static void
post_free (JswFixturePost *post)
{
  g_free (post->path);
  g_hash_table_unref (post->fields);
  g_hash_table_unref (post->files);
  g_hash_table_unref (post->file_names);
  g_free (post);
}

const char *
jsw_fixture_post_field (JswFixturePost *post,
                        const char     *name)
{
  return g_hash_table_lookup (post->fields, name);
}

static const char *
scenario_extra (const char *scenario)
{
  if (g_str_equal (scenario, "unknown"))
    return "<div class=\"field application-question\"><label for=\"q_scaled\">Describe the largest system you have scaled"
           " <span class=\"asterisk required\">*</span></label><textarea id=\"q_scaled\" name=\"scaled\" required"
           " aria-required=\"true\"></textarea></div>";
  if (g_str_equal (scenario, "code"))
    return "<p><label for=\"otp\">Enter the verification code we sent to your e-mail</label>"
           "<input id=\"otp\" name=\"otp\" autocomplete=\"one-time-code\"></p>";
  /* A person solves it with a click (the captcha goes away); the engine
   * never clicks it. */
  if (g_str_equal (scenario, "captcha"))
    return "<div class=\"h-captcha\" data-sitekey=\"10000000-ffff-ffff-ffff-000000000001\">"
           "<button type=\"button\" onclick=\"this.parentNode.remove()\">I am human</button></div>";
  /* Questions of each shape a form asks, none of them in the profile. */
  if (g_str_equal (scenario, "questions"))
    return "<div class=\"field\"><label for=\"q_notice\">What is your notice period? *</label>"
           "<input id=\"q_notice\" name=\"notice\" type=\"text\" required></div>"
           "<div class=\"field\"><label for=\"q_office\">Which office would you work from? *</label>"
           "<select id=\"q_office\" name=\"office\" required><option value=\"\">Select...</option>"
           "<option value=\"ber\">Berlin</option><option value=\"lis\">Lisbon</option>"
           "<option value=\"rem\">Remote</option></select></div>"
           "<fieldset><legend>Are you willing to relocate? *</legend>"
           "<label><input type=\"radio\" name=\"relocate\" value=\"yes\" required> Yes</label>"
           "<label><input type=\"radio\" name=\"relocate\" value=\"no\"> No</label></fieldset>";
  return "";
}

static char *
render (JswFixtureSite *site,
        const char     *system,
        const char     *file,
        const char     *scenario,
        gboolean        with_errors)
{
  g_autofree char *path = g_build_filename (site->dir, system, file, NULL);
  g_autofree char *errors_path = g_build_filename (site->dir, system, "errors.html", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *errors = NULL;
  g_autofree char *action = g_strdup_printf ("/%s/%s/submit", system, scenario);
  g_autoptr(GString) page = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  if (with_errors && !g_file_get_contents (errors_path, &errors, NULL, NULL))
    errors = g_strdup ("<div class=\"error-message\" role=\"alert\">Please check the phone number.</div>");

  page = g_string_new (contents);
  g_string_replace (page, "{{action}}", action, 0);
  g_string_replace (page, "<!--EXTRA-->", scenario_extra (scenario), 0);
  g_string_replace (page, "<!--ERRORS-->", errors ? errors : "", 0);
  return g_string_free (g_steal_pointer (&page), FALSE);
}

static void
reply_html (SoupServerMessage *msg,
            guint              status,
            char              *html)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, html, strlen (html));
}

/* A page that posts its state as a JSON object: each member is a field,
 * strings as they are, anything else as its JSON text. */
static void
record_json_fields (JswFixturePost *post,
                    GBytes         *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  json_object_iter_init (&iter, json_node_get_object (json_parser_get_root (parser)));
  while (json_object_iter_next (&iter, &name, &value))
    g_hash_table_replace (post->fields, g_strdup (name),
                          JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING
                          ? g_strdup (json_node_get_string (value)) : json_to_string (value, FALSE));
}

static void
record_post (JswFixtureSite    *site,
             SoupServerMessage *msg,
             const char        *path)
{
  JswFixturePost *post = g_new0 (JswFixturePost, 1);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(SoupMultipart) multipart = NULL;

  post->path = g_strdup (path);
  post->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  post->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  post->file_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  multipart = soup_multipart_new_from_message (headers, body);
  if (multipart != NULL)
    {
      for (int i = 0; i < soup_multipart_get_length (multipart); i++)
        {
          SoupMessageHeaders *part_headers;
          GBytes *part_body;
          g_autoptr(GHashTable) params = NULL;
          const char *name, *filename;

          if (!soup_multipart_get_part (multipart, i, &part_headers, &part_body) ||
              !soup_message_headers_get_content_disposition (part_headers, NULL, &params))
            continue;
          name = g_hash_table_lookup (params, "name");
          filename = g_hash_table_lookup (params, "filename");
          if (name == NULL)
            continue;
          if (filename != NULL)
            {
              g_hash_table_replace (post->files, g_strdup (name), g_bytes_ref (part_body));
              g_hash_table_replace (post->file_names, g_strdup (name), g_strdup (filename));
            }
          else
            g_hash_table_replace (post->fields, g_strdup (name),
                                  g_strndup (g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body)));
        }
    }
  else if (g_strcmp0 (soup_message_headers_get_content_type (headers, NULL), "application/json") == 0)
    record_json_fields (post, body);
  else
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      g_autoptr(GHashTable) form = soup_form_decode (text);
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, form);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_replace (post->fields, g_strdup (key), g_strdup (value));
    }

  g_ptr_array_add (site->posts, post);
}

static gboolean
unpause_later (gpointer data)
{
  SoupServerMessage *msg = data;

  soup_server_message_unpause (msg);
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}


/* The corpus (tests/fixtures/corpus/README.md) ------------------------------
 *
 * /corpus/<case>/<file> serves the case folder's files as they are, and
 * /corpus/static/<file> the assets the cases share. A POST anywhere under
 * /corpus/<case>/ is recorded; what the employer answers comes from the
 * case's case.json "respond" object, keyed by the path below the case
 * folder ("submit"), else: a page's own fetch() gets {"success":true} and
 * a classic form post gets the folder's confirmation.html. */

static const char *
content_type_of (const char *path)
{
  if (g_str_has_suffix (path, ".html"))
    return "text/html; charset=utf-8";
  if (g_str_has_suffix (path, ".js") || g_str_has_suffix (path, ".mjs"))
    return "text/javascript; charset=utf-8";
  if (g_str_has_suffix (path, ".css"))
    return "text/css; charset=utf-8";
  if (g_str_has_suffix (path, ".json"))
    return "application/json";
  if (g_str_has_suffix (path, ".svg"))
    return "image/svg+xml";
  if (g_str_has_suffix (path, ".pdf"))
    return "application/pdf";
  return "application/octet-stream";
}

/* The file under the corpus a request path names, or NULL when it would
 * leave the corpus. */
static char *
corpus_file (JswFixtureSite *site,
             const char     *folder,
             const char     *relative)
{
  g_auto(GStrv) parts = g_strsplit (relative, "/", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    if (g_str_equal (parts[i], "..") || g_str_equal (parts[i], "."))
      return NULL;
  return g_build_filename (site->dir, folder, relative, NULL);
}

static JsonObject *
corpus_case (JswFixtureSite *site,
             const char     *folder,
             const char     *name)
{
  g_autofree char *path = g_build_filename (site->dir, folder, name, "case.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_file (parser, path, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return JSON_NODE_HOLDS_OBJECT (root) ? json_object_ref (json_node_get_object (root)) : NULL;
}

/* A navigation (a classic form post, a link) asks for HTML; fetch() and
 * XMLHttpRequest ask for anything. */
static gboolean
is_navigation (SoupServerMessage *msg)
{
  const char *accept = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Accept");

  return accept != NULL && strstr (accept, "text/html") != NULL;
}

static void
reply_file (SoupServerMessage *msg,
            guint              status,
            const char        *path)
{
  char *contents = NULL;
  gsize length = 0;

  if (path == NULL || !g_file_get_contents (path, &contents, &length, NULL))
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type_of (path), SOUP_MEMORY_TAKE, contents, length);
}

static void
delay_reply (SoupServerMessage *msg,
             guint              delay_ms)
{
  if (delay_ms == 0)
    return;
  soup_server_message_pause (msg);
  g_timeout_add (delay_ms, unpause_later, g_object_ref (msg));
}

/* One answer of a case's "respond" object: {"status": 422, "file":
 * "errors.html"} or {"json": {...}} or {"body": "...", "content_type":
 * "..."}, each with an optional "delay_ms". */
static void
reply_as_told (JswFixtureSite    *site,
               SoupServerMessage *msg,
               const char        *folder,
               const char        *case_name,
               JsonObject        *answer)
{
  guint status = json_object_get_int_member_with_default (answer, "status", 200);

  if (json_object_has_member (answer, "file"))
    {
      g_autofree char *relative = g_build_filename (case_name, json_object_get_string_member (answer, "file"), NULL);
      g_autofree char *path = corpus_file (site, folder, relative);

      reply_file (msg, status, path);
    }
  else if (json_object_has_member (answer, "json"))
    {
      g_autofree char *json = json_to_string (json_object_get_member (answer, "json"), FALSE);

      soup_server_message_set_status (msg, status, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, g_steal_pointer (&json), strlen (json));
    }
  else
    {
      const char *body = json_object_get_string_member_with_default (answer, "body", "");
      const char *type = json_object_get_string_member_with_default (answer, "content_type", "text/html; charset=utf-8");

      soup_server_message_set_status (msg, status, NULL);
      soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body, strlen (body));
    }
  delay_reply (msg, json_object_get_int_member_with_default (answer, "delay_ms", 0));
}

static void
handle_corpus (JswFixtureSite    *site,
               SoupServerMessage *msg,
               const char        *folder,
               const char        *path)
{
  const char *relative = path + strlen (folder) + 2;
  g_auto(GStrv) parts = g_strsplit (relative, "/", 2);
  const char *case_name = parts[0];
  const char *rest = parts[0] && parts[1] ? parts[1] : "";
  g_autoptr(JsonObject) spec = corpus_case (site, folder, case_name);
  JsonObject *respond = spec && json_object_has_member (spec, "respond") ? json_object_get_object_member (spec, "respond") : NULL;
  JsonObject *answer = respond && json_object_has_member (respond, rest) ? json_object_get_object_member (respond, rest) : NULL;
  gboolean is_post = g_str_equal (soup_server_message_get_method (msg), "POST");

  if (is_post)
    record_post (site, msg, path);

  if (answer != NULL)
    reply_as_told (site, msg, folder, case_name, answer);
  else if (is_post && !is_navigation (msg))
    {
      static const char success[] = "{\"success\":true}";

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, success, strlen (success));
    }
  else
    {
      g_autofree char *file = is_post || *rest == '\0'
                              ? g_build_filename (case_name, is_post ? "confirmation.html" : "index.html", NULL)
                              : g_strdup (relative);
      g_autofree char *served = corpus_file (site, folder, file);

      reply_file (msg, 200, served);
    }
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  JswFixtureSite *site = user_data;
  g_auto(GStrv) parts = g_strsplit (path + 1, "/", 4);
  guint n = g_strv_length (parts);
  const char *method = soup_server_message_get_method (msg);
  char *html = NULL;

  if (g_str_equal (path, "/spy") && g_str_equal (method, "POST"))
    {
      g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

      g_ptr_array_add (site->spy_reports, g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body)));
      soup_server_message_set_status (msg, 204, NULL);
      return;
    }

  /* tests/fixtures/linkedin holds LinkedIn's cases in the corpus's format */
  if (n >= 2 && (g_str_equal (parts[0], "corpus") || g_str_equal (parts[0], "linkedin")))
    {
      handle_corpus (site, msg, parts[0], path);
      return;
    }

  if (n == 2 && g_str_equal (parts[0], "account") && g_str_equal (method, "GET"))
    {
      const char *cookies = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Cookie");
      gboolean signed_in = cookies != NULL && strstr (cookies, "fixture_session=ada") != NULL;

      if (g_str_equal (parts[1], "signin"))
        {
          soup_message_headers_append (soup_server_message_get_response_headers (msg), "Set-Cookie",
                                       "fixture_session=ada; Path=/; Max-Age=86400; HttpOnly");
          signed_in = TRUE;
        }
      html = signed_in ? render (site, "generic", "form.html", "happy", FALSE)
                       : render (site, "workday", "login.html", "login", FALSE);
      reply_html (msg, 200, html);
      return;
    }

  if (n == 2 && g_str_equal (parts[0], "embed"))
    {
      g_autofree char *embed = g_build_filename (site->dir, "embed.html", NULL);
      g_autofree char *contents = NULL;
      g_autofree char *frame = g_strdup_printf ("/%s/happy", parts[1]);
      g_autoptr(GString) page = NULL;

      g_file_get_contents (embed, &contents, NULL, NULL);
      page = g_string_new (contents);
      g_string_replace (page, "{{frame}}", frame, 0);
      reply_html (msg, 200, g_string_free (g_steal_pointer (&page), FALSE));
      return;
    }

  if (n == 2 && g_str_equal (method, "GET"))
    {
      html = g_str_equal (parts[1], "confirmation") ? render (site, parts[0], "confirmation.html", "happy", FALSE)
           : g_str_equal (parts[1], "login") ? render (site, parts[0], "login.html", "login", FALSE)
                                             : render (site, parts[0], "form.html", parts[1], FALSE);
      if (html == NULL)
        {
          soup_server_message_set_status (msg, 404, NULL);
          return;
        }
      reply_html (msg, 200, html);
      if (g_str_equal (parts[1], "slow"))
        {
          soup_server_message_pause (msg);
          g_timeout_add (3000, unpause_later, g_object_ref (msg));
        }
      return;
    }

  if (n == 3 && g_str_equal (parts[2], "submit") && g_str_equal (method, "POST"))
    {
      record_post (site, msg, path);
      if (g_str_equal (parts[1], "validation"))
        html = render (site, parts[0], "form.html", parts[1], TRUE);
      else
        html = render (site, parts[0], "confirmation.html", parts[1], FALSE);
      /* Script-driven boards only need a 200. */
      reply_html (msg, 200, html ? html : g_strdup ("{}"));
      return;
    }

  soup_server_message_set_status (msg, 404, NULL);
}

/* The proxy answers as the origin would (it is the same process), after
 * writing down the absolute URL the browser asked it for. */
static void
handle_proxied (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  JswFixtureSite *site = user_data;
  g_autofree char *uri = g_uri_to_string (soup_server_message_get_uri (msg));

  g_ptr_array_add (site->proxied, g_steal_pointer (&uri));
  handle (server, msg, path, query, site);
}

const char *
jsw_fixture_site_start_proxy (JswFixtureSite *site)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  site->proxy = soup_server_new (NULL, NULL);
  soup_server_add_handler (site->proxy, NULL, handle_proxied, site, NULL);
  soup_server_listen_local (site->proxy, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (site->proxy);
  site->proxy_url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return site->proxy_url;
}

JswFixtureSite *
jsw_fixture_site_new (const char *fixtures_dir)
{
  JswFixtureSite *site = g_new0 (JswFixtureSite, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  site->dir = g_strdup (fixtures_dir);
  site->posts = g_ptr_array_new_with_free_func ((GDestroyNotify) post_free);
  site->spy_reports = g_ptr_array_new_with_free_func (g_free);
  site->proxied = g_ptr_array_new_with_free_func (g_free);
  site->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (site->server, NULL, handle, site, NULL);
  soup_server_listen_local (site->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (site->server);
  site->base = g_uri_to_string (uris->data);
  if (g_str_has_suffix (site->base, "/"))
    site->base[strlen (site->base) - 1] = '\0';
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return site;
}

char *
jsw_fixture_site_url (JswFixtureSite *site,
                      const char     *path)
{
  return g_strconcat (site->base, path, NULL);
}

void
jsw_fixture_site_free (JswFixtureSite *site)
{
  soup_server_disconnect (site->server);
  g_object_unref (site->server);
  if (site->proxy != NULL)
    {
      soup_server_disconnect (site->proxy);
      g_object_unref (site->proxy);
    }
  g_free (site->proxy_url);
  g_ptr_array_unref (site->proxied);
  g_ptr_array_unref (site->posts);
  g_ptr_array_unref (site->spy_reports);
  g_free (site->base);
  g_free (site->dir);
  g_free (site);
}

/* What the Greenhouse form (/greenhouse/happy) must receive from the tests'
 * profile (Ada Lovelace's, in tests/engine/test-apply.c and
 * tests/worker/test-worker.c): each field equal to the profile's. */
void
jsw_fixture_post_assert_greenhouse_profile (JswFixturePost *post)
{
  g_assert_cmpstr (jsw_fixture_post_field (post, "job_application[first_name]"), ==, "Ada");
  g_assert_cmpstr (jsw_fixture_post_field (post, "job_application[last_name]"), ==, "Lovelace");
  g_assert_cmpstr (jsw_fixture_post_field (post, "job_application[email]"), ==, "ada@example.org");
  g_assert_cmpstr (jsw_fixture_post_field (post, "job_application[phone]"), ==, "+44 20 7946 0958");
  g_assert_cmpstr (jsw_fixture_post_field (post, "job_application[cover_letter_text]"), ==, "I would love to build your queue.");
  g_assert_cmpstr (jsw_fixture_post_field (post, "job_application[answers_attributes][0][text_value]"), ==,
                   "https://www.linkedin.com/in/ada-lovelace");
  /* saved answers, by well-known key and by a reworded question */
  g_assert_cmpstr (jsw_fixture_post_field (post, "job_application[answers_attributes][1][boolean_value]"), ==, "1");
  g_assert_cmpstr (jsw_fixture_post_field (post, "job_application[answers_attributes][2][boolean_value]"), ==, "0");
  g_assert_cmpstr (jsw_fixture_post_field (post, "job_application[answers_attributes][3][text_value]"), ==, "12");
  /* EEO: the profile's answer, else "decline to self-identify" where offered */
  g_assert_cmpstr (jsw_fixture_post_field (post, "job_application[gender]"), ==, "2");
  g_assert_cmpstr (jsw_fixture_post_field (post, "job_application[race]"), ==, "8");
  g_assert_cmpstr (jsw_fixture_post_field (post, "job_application[veteran_status]"), ==, "3");
}

/* The web process (the child named WebKitWebProcess) of the browser
 * running as @parent, or 0: for tests that make it go away, as a crash
 * would. */
GPid
jsw_fixture_web_process_of (GPid parent)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  g_autofree char *ppid = g_strdup_printf ("\nPPid:\t%d\n", parent);
  const char *name;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc", name, "status", NULL);
      g_autofree char *status = NULL;

      if (g_ascii_isdigit (*name) && g_file_get_contents (path, &status, NULL, NULL) &&
          g_str_has_prefix (status, "Name:\tWebKitWebProces") && strstr (status, ppid) != NULL)
        return atoi (name);
    }
  return 0;
}
