/* jsw-error.h: the error codes of PROTOCOL.md as a GError domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define JSW_ERROR (jsw_error_quark ())

typedef enum {
  JSW_ERROR_INVALID,
  JSW_ERROR_UNAUTHORIZED,
  JSW_ERROR_QUOTA_EXCEEDED,
  JSW_ERROR_FORBIDDEN,
  JSW_ERROR_NOT_FOUND,
  JSW_ERROR_CONFLICT,
  JSW_ERROR_PAYLOAD_TOO_LARGE,
  JSW_ERROR_RATE_LIMITED,
  JSW_ERROR_INTERNAL,
  /* Stream-only codes */
  JSW_ERROR_ALREADY_CLAIMED,
  JSW_ERROR_LEASE_EXPIRED,
} JswErrorCode;

GQuark      jsw_error_quark        (void);
const char *jsw_error_code_name    (JswErrorCode code);
guint       jsw_error_http_status  (JswErrorCode code);
JswErrorCode jsw_error_code_of     (const GError *error);

G_END_DECLS
