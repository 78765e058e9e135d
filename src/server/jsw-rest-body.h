/* jsw-rest-body.h: the bodies of the REST endpoints: requests decoded, and
 * the error document every refusal answers with
 *
 * Apart from the handlers so that the fuzzer (tests/fuzz/fuzz-rest-body.c)
 * runs the very decoders the server runs, without a server around them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-common.h"

G_BEGIN_DECLS

gboolean jsw_rest_body_swipe      (JsonObject        *body,
                                   gboolean          *right,
                                   JswJob           **job,
                                   GError           **error);
gboolean jsw_rest_body_posting_swipe (JsonObject     *body,
                                      gboolean       *right,
                                      const char    **posting_id,
                                      gboolean       *allow_duplicate,
                                      GError        **error);
gboolean jsw_rest_body_sign_in    (JsonObject        *body,
                                   const char       **email,
                                   const char       **password,
                                   const char       **device,
                                   GError           **error);
gboolean jsw_rest_body_preference (JsonObject        *body,
                                   JswExecutionMode  *mode,
                                   GError           **error);
gboolean jsw_rest_body_route      (JsonObject        *body,
                                   JswTarget         *target,
                                   GError           **error);
JsonNode *jsw_rest_error_node     (const char        *code,
                                   const char        *message);

G_END_DECLS
