/* fuzz-json.c: libFuzzer harness for the JSON gate (jsw_json_check_strict()
 * and jsw_json_parse()), which every JSON text JobSwipe reads passes
 *
 * Besides not crashing, what it accepts must come back the same through
 * json-glib's generator and the gate again: a text the gate lets through
 * that json-glib then reads differently would be a hole in it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>

#include "jsw-common.h"
#include "jsw-json-strict.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  jsw_json_check_strict ((const char *) data, size, 32, NULL);

  node = jsw_json_parse ((const char *) data, size, NULL);
  if (node == NULL)
    return 0;

  text = jsw_json_node_to_string (node);
  again = jsw_json_parse (text, -1, NULL);
  g_assert_nonnull (again);
  text_again = jsw_json_node_to_string (again);
  g_assert_cmpstr (text, ==, text_again);
  return 0;
}
