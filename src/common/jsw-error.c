/* jsw-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-error.h"

G_DEFINE_QUARK (jsw-error-quark, jsw_error)

static const struct {
  const char *name;
  guint       status;
} codes[] = {
  [JSW_ERROR_INVALID] = { "invalid", 400 },
  [JSW_ERROR_UNAUTHORIZED] = { "unauthorized", 401 },
  [JSW_ERROR_QUOTA_EXCEEDED] = { "quota_exceeded", 402 },
  [JSW_ERROR_FORBIDDEN] = { "forbidden", 403 },
  [JSW_ERROR_NOT_FOUND] = { "not_found", 404 },
  [JSW_ERROR_CONFLICT] = { "conflict", 409 },
  [JSW_ERROR_PAYLOAD_TOO_LARGE] = { "payload_too_large", 413 },
  [JSW_ERROR_RATE_LIMITED] = { "rate_limited", 429 },
  [JSW_ERROR_INTERNAL] = { "internal", 500 },
  [JSW_ERROR_ALREADY_CLAIMED] = { "already_claimed", 409 },
  [JSW_ERROR_LEASE_EXPIRED] = { "lease_expired", 409 },
};

const char *
jsw_error_code_name (JswErrorCode code)
{
  if ((guint) code >= G_N_ELEMENTS (codes))
    return "internal";
  return codes[code].name;
}

guint
jsw_error_http_status (JswErrorCode code)
{
  if ((guint) code >= G_N_ELEMENTS (codes))
    return 500;
  return codes[code].status;
}

/* Errors from other domains (SQLite, I/O) are never the caller's fault. */
JswErrorCode
jsw_error_code_of (const GError *error)
{
  if (error != NULL && error->domain == JSW_ERROR)
    return (JswErrorCode) error->code;
  return JSW_ERROR_INTERNAL;
}
