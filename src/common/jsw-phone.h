/* jsw-phone.h: a telephone number as application forms ask for it
 *
 * A small C API over libphonenumber (Google's library, packaged in Debian
 * as libphonenumber-dev), so that the engine parses the profile's number
 * once and hands every form the shape it asks for: a country-code select
 * gets the country, the field beside it the national number.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char  *country;             /* ISO 3166-1 alpha-2, "US"; "" when the calling code serves no one region */
  guint  calling_code;        /* ITU-T E.164 country calling code, 1 */
  char  *national;            /* national significant number, digits only: "4155550172" */
  char  *national_formatted;  /* as dialled within the country: "(415) 555-0172" */
  char  *e164;                /* "+14155550172" */
} JswPhone;

JswPhone *jsw_phone_parse (const char  *text,
                           const char  *default_region,
                           GError     **error);
void      jsw_phone_free  (JswPhone    *phone);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswPhone, jsw_phone_free)

G_END_DECLS
