/* jsw-rest-body.h: the request bodies of the REST endpoints, decoded
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

G_END_DECLS
