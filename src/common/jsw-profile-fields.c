/* jsw-profile-fields.c
 *
 * The members of PROFILE.json and of its items, written once (validation,
 * the app's profile editor and the form JSON handed to the adapters all go
 * by them), the questions of the well-known saved answers, and what a
 * text value must say (an e-mail address, a telephone number, a URL).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "jsw-error.h"
#include "jsw-phone.h"
#include "jsw-profile-private.h"

/* The fixed self-identification answers, as US employers' forms (EEO-1)
 * word them; the adapters match them to a form's own options. */
static const char * const gender_choices[] = {
  N_("Female"), N_("Male"), N_("Non-binary"), N_("Decline to self-identify"), NULL
};
static const char * const race_choices[] = {
  N_("American Indian or Alaska Native"), N_("Asian"), N_("Black or African American"),
  N_("Hispanic or Latino"), N_("Native Hawaiian or Other Pacific Islander"), N_("White"),
  N_("Two or More Races"), N_("Decline to self-identify"), NULL
};
static const char * const veteran_choices[] = {
  N_("I am a protected veteran"), N_("I am not a protected veteran"), N_("Decline to self-identify"), NULL
};
static const char * const disability_choices[] = {
  N_("Yes, I have a disability"), N_("No, I do not have a disability"), N_("Decline to self-identify"), NULL
};

/* The members of PROFILE.json, written once: validation, the app's
 * profile editor and the form JSON handed to the adapters all go by it. */
const JswProfileField _jsw_profile_fields[] = {
  { "first_name", N_("First Name"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "last_name", N_("Last Name"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "email", N_("E-mail Address"), JSW_PROFILE_FIELD_TEXT, TRUE, JSW_PROFILE_CHECK_EMAIL },
  { "phone", N_("Phone"), JSW_PROFILE_FIELD_TEXT, TRUE, JSW_PROFILE_CHECK_PHONE },
  { "location", N_("Location"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "linkedin_url", N_("LinkedIn"), JSW_PROFILE_FIELD_TEXT, TRUE, JSW_PROFILE_CHECK_URL },
  { "github_url", N_("GitHub"), JSW_PROFILE_FIELD_TEXT, TRUE, JSW_PROFILE_CHECK_URL },
  { "website_url", N_("Website"), JSW_PROFILE_FIELD_TEXT, TRUE, JSW_PROFILE_CHECK_URL },
  { "current_company", N_("Current Company"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "current_title", N_("Current Title"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "cover_letter", N_("Cover Letter"), JSW_PROFILE_FIELD_TEXT, TRUE, JSW_PROFILE_CHECK_NONE, TRUE },
  /* A path on this machine, which no form needs (the file's bytes go in
   * separately). */
  { "resume_path", N_("Resume"), JSW_PROFILE_FIELD_FILE, FALSE },
  { "consent_to_required_terms", N_("Agree to Required Terms"), JSW_PROFILE_FIELD_FLAG, TRUE },
  { "experience", N_("Work History"), JSW_PROFILE_FIELD_ITEM_LIST, TRUE },
  { "education", N_("Education"), JSW_PROFILE_FIELD_ITEM_LIST, TRUE },
  { "answers", N_("Saved Answers"), JSW_PROFILE_FIELD_STRING_MAP, TRUE },
  { "eeo", N_("Self-Identification"), JSW_PROFILE_FIELD_STRING_MAP, TRUE },
};

/* The members of one `experience` item (docs/engine.md). */
static const JswProfileField experience_fields[] = {
  { "title", N_("Job Title"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "company", N_("Company"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "location", N_("Location"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "start", N_("From (Year and Month)"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "end", N_("To (Empty While There)"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "description", N_("What You Did"), JSW_PROFILE_FIELD_TEXT, TRUE, JSW_PROFILE_CHECK_NONE, TRUE },
};

/* The members of one `education` item (docs/engine.md). */
static const JswProfileField education_fields[] = {
  { "school", N_("School"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "degree", N_("Degree"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "field", N_("Field of Study"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "start", N_("From (Year)"), JSW_PROFILE_FIELD_TEXT, TRUE },
  { "end", N_("To (Year)"), JSW_PROFILE_FIELD_TEXT, TRUE },
};

/* The members of `eeo` (PROTOCOL.md), each with its fixed answers. */
static const JswProfileField eeo_fields[] = {
  { "gender", N_("Gender"), JSW_PROFILE_FIELD_TEXT, TRUE, JSW_PROFILE_CHECK_NONE, FALSE, gender_choices },
  { "race", N_("Race or Ethnicity"), JSW_PROFILE_FIELD_TEXT, TRUE, JSW_PROFILE_CHECK_NONE, FALSE, race_choices },
  { "veteran", N_("Veteran Status"), JSW_PROFILE_FIELD_TEXT, TRUE, JSW_PROFILE_CHECK_NONE, FALSE, veteran_choices },
  { "disability", N_("Disability Status"), JSW_PROFILE_FIELD_TEXT, TRUE, JSW_PROFILE_CHECK_NONE, FALSE, disability_choices },
};

/**
 * jsw_profile_get_fields:
 * @n_fields: (out): how many
 *
 * Returns: (array length=n_fields): the members of PROFILE.json, in the
 *   order the profile editor shows them
 */
const JswProfileField *
jsw_profile_get_fields (guint *n_fields)
{
  *n_fields = JSW_PROFILE_N_FIELDS;
  return _jsw_profile_fields;
}

/**
 * jsw_profile_get_item_fields:
 * @list: "experience" or "education"
 *
 * Returns: (array length=n_fields) (nullable): the members of one item of
 *   @list, or %NULL for another name
 */
const JswProfileField *
jsw_profile_get_item_fields (const char *list,
                             guint      *n_fields)
{
  if (g_strcmp0 (list, "experience") == 0)
    {
      *n_fields = G_N_ELEMENTS (experience_fields);
      return experience_fields;
    }
  if (g_strcmp0 (list, "education") == 0)
    {
      *n_fields = G_N_ELEMENTS (education_fields);
      return education_fields;
    }
  *n_fields = 0;
  return NULL;
}

/* Returns: (array length=n_fields): the members of `eeo`, with their choices */
const JswProfileField *
jsw_profile_get_eeo_fields (guint *n_fields)
{
  *n_fields = G_N_ELEMENTS (eeo_fields);
  return eeo_fields;
}

/* The well-known answer keys of PROTOCOL.md, as a person reads them;
 * every other saved answer is keyed by the form's own question. */
static const struct {
  const char *key;
  const char *title;
} answer_titles[] = {
  { "work_authorization", N_("Are you authorized to work where the job is?") },
  { "requires_sponsorship", N_("Will you need visa sponsorship?") },
  { "salary_expectation", N_("What salary do you expect?") },
  { "notice_period", N_("What is your notice period?") },
  { "willing_to_relocate", N_("Are you willing to relocate?") },
  { "how_did_you_hear", N_("How did you hear about the job?") },
};

/**
 * jsw_profile_answer_title:
 * @key: a key of `answers`
 *
 * Returns: the question a saved answer answers, translated: a well-known
 *   key's question, else @key itself (a form's own question)
 */
const char *
jsw_profile_answer_title (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (answer_titles); i++)
    if (g_str_equal (answer_titles[i].key, key))
      return _(answer_titles[i].title);
  return key;
}

/* Returns: (nullable): the top-level member called @name */
const JswProfileField *
jsw_profile_find_field (const char *name)
{
  for (guint i = 0; i < JSW_PROFILE_N_FIELDS; i++)
    if (g_strcmp0 (_jsw_profile_fields[i].name, name) == 0)
      return &_jsw_profile_fields[i];
  return NULL;
}

/* Lower-case letters and digits only: "E-mail Address" -> "emailaddress". */
static char *
squash (const char *text)
{
  GString *squashed = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (squashed, g_ascii_tolower (*p));
  return g_string_free (squashed, FALSE);
}

/**
 * jsw_profile_field_for_label:
 * @label: a form's label for a field ("Phone number", "Your e-mail")
 *
 * The profile's text member a form's field is most likely filled from,
 * for the person to correct it there when the employer refused it: the
 * member whose name or title ("phone", "E-mail Address") the label holds,
 * the longest such one, letters and digits compared without case.
 *
 * Returns: (nullable): the member, or %NULL when none fits
 */
const JswProfileField *
jsw_profile_field_for_label (const char *label)
{
  g_autofree char *wanted = squash (label ? label : "");
  const JswProfileField *best = NULL;
  gsize best_length = 0;

  for (guint i = 0; i < JSW_PROFILE_N_FIELDS; i++)
    {
      const JswProfileField *field = &_jsw_profile_fields[i];
      g_autofree char *name = NULL;
      g_autofree char *title = NULL;

      if (field->kind != JSW_PROFILE_FIELD_TEXT)
        continue;
      name = squash (field->name);
      title = squash (field->title);
      /* "E-mail Address" is asked as "Email"; "LinkedIn" as "LinkedIn URL". */
      if (*name != '\0' && strstr (wanted, name) != NULL && strlen (name) > best_length)
        best = field, best_length = strlen (name);
      if (*title != '\0' && strstr (wanted, title) != NULL && strlen (title) > best_length)
        best = field, best_length = strlen (title);
    }
  return best;
}

/* Checking values */

/* local@domain.tld, as a person types it into a form: no spaces, one @,
 * a dot in the domain (RFC 5321's lengths: 64 before the @, 254 in all).
 * Forms check no more than this, and a stricter rule would refuse real
 * addresses. */
static gboolean
is_email (const char *text)
{
  const char *at = strchr (text, '@');
  const char *dot;

  if (at == NULL || at == text || strchr (at + 1, '@') != NULL || strlen (text) > 254 || at - text > 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      return FALSE;
  dot = strrchr (at + 1, '.');
  return dot != NULL && dot > at + 1 && dot[1] != '\0';
}

static gboolean
is_web_url (const char *text)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;
  const char *host = uri ? g_uri_get_host (uri) : NULL;

  return uri != NULL && (g_str_equal (scheme, "http") || g_str_equal (scheme, "https")) &&
         host != NULL && *host != '\0' && strchr (text, ' ') == NULL;
}

/**
 * jsw_profile_check_value:
 * @field: a text field (of the profile, of an item, of `eeo`)
 * @value: (nullable): what the person wrote; empty or %NULL is always
 *   right (the field is left out)
 * @error: JSW_ERROR_INVALID, with a sentence for the person
 *
 * The telephone number must carry its +country code: that is what the
 * engine splits for a form's country select (libphonenumber, without a
 * default region).
 */
gboolean
jsw_profile_check_value (const JswProfileField  *field,
                         const char             *value,
                         GError                **error)
{
  g_autoptr(JswPhone) phone = NULL;

  if (value == NULL || *value == '\0')
    return TRUE;
  if (strlen (value) > JSW_PROFILE_MAX_TEXT)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID, _("%s is too long"), _(field->title));
      return FALSE;
    }
  switch (field->check)
    {
    case JSW_PROFILE_CHECK_NONE:
      return TRUE;
    case JSW_PROFILE_CHECK_EMAIL:
      if (is_email (value))
        return TRUE;
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID,
                   _("“%s” is not an e-mail address (name@example.org)"), value);
      return FALSE;
    case JSW_PROFILE_CHECK_PHONE:
      phone = jsw_phone_parse (value, NULL, NULL);
      if (phone != NULL)
        return TRUE;
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID,
                   _("“%s” is not a telephone number with its country code (+44 20 7946 0958)"), value);
      return FALSE;
    case JSW_PROFILE_CHECK_URL:
      if (is_web_url (value))
        return TRUE;
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID,
                   _("“%s” is not a web address (https://…)"), value);
      return FALSE;
    default:
      g_assert_not_reached ();
    }
}
