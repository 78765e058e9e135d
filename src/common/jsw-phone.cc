/* jsw-phone.cc
 *
 * libphonenumber is C++; nothing of it crosses this file's C API, and no
 * C++ exception can: the library reports errors by return codes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <phonenumbers/phonenumberutil.h>

#include "jsw-error.h"
#include "jsw-phone.h"

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

/**
 * jsw_phone_parse:
 * @text: a telephone number as a person writes it: "+1 415 555 0172",
 *   "+44 (0)20 7946 0958", "0172 5550172"
 * @default_region: (nullable): ISO 3166-1 alpha-2 region for numbers
 *   written without their country calling code; %NULL when unknown, and
 *   then such numbers are refused
 * @error: %JSW_ERROR_INVALID when @text is no possible number of any
 *   region (libphonenumber's IsPossibleNumber: the length fits the
 *   country's numbering plan)
 *
 * Returns: (transfer full): the number's parts, or %NULL with @error set
 */
JswPhone *
jsw_phone_parse (const char  *text,
                 const char  *default_region,
                 GError     **error)
{
  const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance ();
  PhoneNumber number;
  std::string region, national, formatted, e164;
  JswPhone *phone;

  g_return_val_if_fail (text != NULL, NULL);

  if (util->Parse (text, default_region ? default_region : "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR ||
      !util->IsPossibleNumber (number))
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("“%s” is not a telephone number"), text);
      return NULL;
    }

  util->GetRegionCodeForNumber (number, &region);
  util->GetNationalSignificantNumber (number, &national);
  util->Format (number, PhoneNumberUtil::NATIONAL, &formatted);
  util->Format (number, PhoneNumberUtil::E164, &e164);

  phone = g_new0 (JswPhone, 1);
  /* "ZZ" is the library's unknown region (a +800 freephone number, or a
   * +1 number of no region it knows) */
  phone->country = g_strdup (region == "ZZ" ? "" : region.c_str ());
  phone->calling_code = number.country_code ();
  phone->national = g_strdup (national.c_str ());
  phone->national_formatted = g_strdup (formatted.c_str ());
  phone->e164 = g_strdup (e164.c_str ());
  return phone;
}

void
jsw_phone_free (JswPhone *phone)
{
  if (phone == NULL)
    return;
  g_free (phone->country);
  g_free (phone->national);
  g_free (phone->national_formatted);
  g_free (phone->e164);
  g_free (phone);
}
