/* fuzz-rest-body.c: libFuzzer harness for the REST body decoders: the
 * body parsed as the server parses it, then given to the decoder of every
 * endpoint that takes one (swipes, sessions, preference, route), and to the
 * readers the app uses on the server's answers (an entry, a profile)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>

#include "jsw-common.h"
#include "jsw-rest-body.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
decode_as_every_endpoint (JsonObject *body)
{
  g_autoptr(JswJob) job = NULL;
  g_autoptr(JswEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  const char *email, *password, *device, *posting_id;
  JswExecutionMode mode;
  JswTarget target;
  gboolean right, allow_duplicate;

  if (!jsw_rest_body_swipe (body, &right, &job, &error))
    g_assert_nonnull (error);
  g_clear_error (&error);
  if (!jsw_rest_body_sign_in (body, &email, &password, &device, &error))
    g_assert_nonnull (error);
  g_clear_error (&error);
  if (!jsw_rest_body_preference (body, &mode, &error))
    g_assert_nonnull (error);
  g_clear_error (&error);
  if (!jsw_rest_body_route (body, &target, &error))
    g_assert_nonnull (error);
  g_clear_error (&error);
  if (!jsw_rest_body_posting_swipe (body, &right, &posting_id, &allow_duplicate, &error))
    g_assert_nonnull (error);
  g_clear_error (&error);

  entry = jsw_entry_new_from_object (body, NULL);
  if (entry != NULL)
    g_free (jsw_entry_to_json (entry));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JswProfile) profile = NULL;
  g_autofree char *text = NULL;
  JsonObject *body;

  body = jsw_json_parse_object ((const char *) data, size, &root, NULL);
  if (body != NULL)
    decode_as_every_endpoint (body);

  /* The profile reader wants a NUL-terminated text. */
  text = g_strndup ((const char *) data, size);
  profile = jsw_profile_new_from_json (text, NULL);
  return 0;
}
