/* fuzz-stream-frame.c: libFuzzer harness for the stream frame decoder,
 * jsw_message_parse(), which the server runs on every frame a client sends
 * and the app on every frame the server sends
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>

#include "jsw-common.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *request_id = NULL;
  JswMessage *message = jsw_message_parse ((const char *) data, size, &request_id, &error);

  /* Exactly one of a message and an error. */
  g_assert_true ((message == NULL) != (error == NULL));
  g_clear_pointer (&message, jsw_message_free);
  return 0;
}
