/* jsw-fixture-site.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

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
  if (g_str_equal (scenario, "captcha"))
    return "<div class=\"h-captcha\" data-sitekey=\"10000000-ffff-ffff-ffff-000000000001\"></div>";
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
