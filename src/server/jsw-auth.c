/* jsw-auth.c: who is calling, from a request's bearer token
 *
 * The one place a request's token is read and resolved, for the REST
 * endpoints and for the stream's upgrade request alike (PROTOCOL.md:
 * "Authorization: Bearer <token>").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-auth"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-auth.h"
#include "jsw-credentials.h"

/**
 * jsw_auth_from_request:
 *
 * Resolves the one “Authorization: Bearer” header of @msg, of a device or
 * of a worker.
 *
 * Returns: (transfer full): who is calling, or %NULL with @error set:
 *   %JSW_ERROR_INVALID for several Authorization headers,
 *   %JSW_ERROR_UNAUTHORIZED for none, another scheme or an unknown token
 */
JswAuth *
jsw_auth_from_request (JswStore           *store,
                       SoupServerMessage  *msg,
                       GError            **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *header = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *hash = NULL;

  /* get_one() answers with the last of several; two credentials are a
   * confused or smuggled request, not a choice for us to make. get_list()
   * joins all of them, so it differs from get_one() exactly when there
   * are several. */
  if (header != NULL &&
      !g_str_equal (header, soup_message_headers_get_list (headers, "Authorization")))
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_INVALID,
                           _("Send one “Authorization” header, not several"));
      return NULL;
    }

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0 || header[7] == '\0')
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_UNAUTHORIZED,
                           _("An “Authorization: Bearer” header with a token is required"));
      return NULL;
    }

  hash = jsw_token_hash (header + 7);
  return jsw_store_lookup_token (store, hash, error);
}

/**
 * jsw_auth_user_from_request:
 *
 * As jsw_auth_from_request(), for the endpoints of a user's devices.
 *
 * Returns: (transfer full): the user's device, or %NULL with @error set as
 *   jsw_auth_from_request() does, or %JSW_ERROR_FORBIDDEN for a worker's
 *   token
 */
JswAuth *
jsw_auth_user_from_request (JswStore           *store,
                            SoupServerMessage  *msg,
                            GError            **error)
{
  g_autoptr(JswAuth) auth = jsw_auth_from_request (store, msg, error);

  if (auth == NULL)
    return NULL;
  if (auth->user_id == NULL)
    {
      g_set_error_literal (error, JSW_ERROR, JSW_ERROR_FORBIDDEN,
                           _("This endpoint is for a user’s devices; a worker token cannot use it"));
      return NULL;
    }
  return g_steal_pointer (&auth);
}
