/* test-phone.c: the profile's telephone number in the shapes forms ask for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-error.h"
#include "jsw-phone.h"

static void
assert_parts (const char *text,
              const char *country,
              guint       calling_code,
              const char *national,
              const char *national_formatted,
              const char *e164)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswPhone) phone = jsw_phone_parse (text, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (phone->country, ==, country);
  g_assert_cmpuint (phone->calling_code, ==, calling_code);
  g_assert_cmpstr (phone->national, ==, national);
  g_assert_cmpstr (phone->national_formatted, ==, national_formatted);
  g_assert_cmpstr (phone->e164, ==, e164);
}

static void
test_international (void)
{
  assert_parts ("+1 415 555 0172", "US", 1, "4155550172", "(415) 555-0172", "+14155550172");
  assert_parts ("+44 (0)20 7946 0958", "GB", 44, "2079460958", "020 7946 0958", "+442079460958");
  assert_parts ("+49 30 901820", "DE", 49, "30901820", "030 901820", "+4930901820");
  assert_parts ("+46 8-123 456 78", "SE", 46, "812345678", "08-123 456 78", "+46812345678");
  /* Canada shares +1 with the United States: the area code tells them apart. */
  assert_parts ("+1 (604) 555-0199", "CA", 1, "6045550199", "(604) 555-0199", "+16045550199");
}

static void
test_national_with_region (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JswPhone) phone = jsw_phone_parse ("030 901820", "DE", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (phone->e164, ==, "+4930901820");
  g_assert_cmpstr (phone->country, ==, "DE");
}

static void
test_refused (void)
{
  const char *bad[] = { "", "call me", "+1 23", "0172 5550172" /* no region known */, "+999 123456789" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JswPhone) phone = jsw_phone_parse (bad[i], NULL, &error);

      g_assert_null (phone);
      g_assert_error (error, JSW_ERROR, JSW_ERROR_INVALID);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/phone/international", test_international);
  g_test_add_func ("/phone/national-with-region", test_national_with_region);
  g_test_add_func ("/phone/refused", test_refused);
  return g_test_run ();
}
