/* jsw-posting.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "jsw-common.h"
#include "jsw-html-text.h"
#include "jsw-posting.h"

/* The description's share of the 64 KiB a snapshot may hold (docs/server.md
 * "Additions"): what is longer is cut at a paragraph. */
#define MAX_DESCRIPTION_BYTES (48 * 1024)

JswPosting *
jsw_posting_new (const char *kind,
                 const char *board,
                 const char *external_id)
{
  JswPosting *posting = g_new0 (JswPosting, 1);

  posting->kind = g_strdup (kind);
  posting->board = g_strdup (board);
  posting->external_id = g_strdup (external_id);
  posting->locations = g_ptr_array_new_with_free_func (g_free);
  return posting;
}

void
jsw_posting_free (JswPosting *posting)
{
  if (posting == NULL)
    return;
  g_free (posting->kind);
  g_free (posting->board);
  g_free (posting->external_id);
  g_free (posting->title);
  g_free (posting->company);
  g_free (posting->apply_url);
  g_free (posting->source_url);
  g_ptr_array_unref (posting->locations);
  g_free (posting->department);
  g_free (posting->description);
  g_free (posting->employment_type);
  g_free (posting->salary_currency);
  g_free (posting->salary_interval);
  g_free (posting->salary_text);
  g_free (posting->version);
  g_clear_pointer (&posting->questions, json_node_unref);
  g_free (posting);
}

/**
 * jsw_posting_dup_job_id:
 *
 * Returns: (transfer full): `<kind>:<board>:<id at the source>`, such as
 *   `greenhouse:acme:4012345`: stable across syncs, so a posting seen again
 *   is the same posting (docs/server.md "The job feed")
 */
char *
jsw_posting_dup_job_id (const JswPosting *posting)
{
  return g_strdup_printf ("%s:%s:%s", posting->kind, posting->board, posting->external_id);
}

/* Text from a board, trimmed, runs of white space as one space. */
static char *
tidy_line (const char *text)
{
  g_auto(GStrv) words = NULL;
  GString *line = g_string_new (NULL);

  if (!g_utf8_validate (text, -1, NULL))
    return g_string_free (line, FALSE);
  words = g_strsplit_set (text, " \t\r\n\f\v", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (line->len > 0)
        g_string_append_c (line, ' ');
      g_string_append (line, words[i]);
    }
  return g_string_free (line, FALSE);
}

void
jsw_posting_add_location (JswPosting *posting,
                          const char *location)
{
  g_autofree char *tidy = NULL;

  if (location == NULL)
    return;
  tidy = tidy_line (location);
  if (*tidy == '\0')
    return;
  for (guint i = 0; i < posting->locations->len; i++)
    if (g_utf8_collate (posting->locations->pdata[i], tidy) == 0)
      return;
  if (jsw_posting_mentions_remote (tidy))
    posting->remote = TRUE;
  g_ptr_array_add (posting->locations, g_steal_pointer (&tidy));
}

/* Cuts @text to at most @max bytes at the last paragraph (else line, else
 * character) boundary before it, and says so. */
static void
cut_text (char   **text,
          gsize    max)
{
  gsize length = strlen (*text);
  const char *end;
  const char *boundary;
  g_autofree char *kept = NULL;

  if (length <= max)
    return;
  end = g_utf8_find_prev_char (*text, *text + max);
  if (end == NULL)
    end = *text;
  kept = g_strndup (*text, end - *text);
  boundary = g_strrstr (kept, "\n\n");
  if (boundary == NULL || boundary - kept < (gssize) (max / 2))
    boundary = strrchr (kept, '\n');
  if (boundary != NULL && boundary - kept >= (gssize) (max / 2))
    kept[boundary - kept] = '\0';
  g_free (*text);
  *text = g_strconcat (kept, "\n\n…", NULL);
}

void
jsw_posting_set_description_html (JswPosting *posting,
                                  const char *html)
{
  g_clear_pointer (&posting->description, g_free);
  if (html == NULL || *html == '\0')
    return;
  posting->description = jsw_html_to_text (html, -1);
  cut_text (&posting->description, MAX_DESCRIPTION_BYTES);
  if (*posting->description == '\0')
    g_clear_pointer (&posting->description, g_free);
}

/* Lower case letters and digits only: "Full-time", "FullTime" and
 * "full_time" all read "fulltime". */
static char *
squash_words (const char *words)
{
  GString *squashed = g_string_new (NULL);

  for (const char *p = words; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (squashed, g_ascii_tolower (*p));
  return g_string_free (squashed, FALSE);
}

/**
 * jsw_posting_set_employment_type:
 * @words: how the board words it: "Full-time", "FullTime", "Permanent",
 *   "Intern", "Freelance", "part-time"...
 *
 * Sets one of full_time, part_time, contract, temporary, internship
 * (docs/server.md "The job feed"), or nothing when the words say none of
 * them.
 */
void
jsw_posting_set_employment_type (JswPosting *posting,
                                 const char *words)
{
  static const struct { const char *words; const char *type; } types[] = {
    { "fulltime", "full_time" }, { "permanent", "full_time" }, { "regular", "full_time" },
    { "fulltimepermanent", "full_time" }, { "parttime", "part_time" },
    { "contract", "contract" }, { "contractor", "contract" }, { "freelance", "contract" },
    { "freelancer", "contract" }, { "temporary", "temporary" }, { "temp", "temporary" },
    { "fixedterm", "temporary" }, { "seasonal", "temporary" }, { "intern", "internship" },
    { "internship", "internship" }, { "trainee", "internship" },
    { "workingstudent", "internship" }, { "apprenticeship", "internship" },
  };
  g_autofree char *squashed = NULL;

  if (words == NULL)
    return;
  squashed = squash_words (words);
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_equal (squashed, types[i].words))
      {
        g_free (posting->employment_type);
        posting->employment_type = g_strdup (types[i].type);
        return;
      }
}

gboolean
jsw_posting_set_posted_at (JswPosting *posting,
                           const char *rfc3339)
{
  /* Boards write offsets ("2026-11-20T10:00:00-05:00"); what is kept is
   * the instant. */
  return jsw_time_parse (rfc3339, &posting->posted_at);
}

/**
 * jsw_posting_set_salary_interval:
 * @words: "1 YEAR" (Ashby), "per-year-salary", "per-hour-wage" (Lever),
 *   "yearly", "annual", "month"...
 */
void
jsw_posting_set_salary_interval (JswPosting *posting,
                                 const char *words)
{
  static const struct { const char *word; const char *interval; } intervals[] = {
    { "year", "year" }, { "annual", "year" }, { "month", "month" }, { "week", "week" },
    { "day", "day" }, { "daily", "day" }, { "hour", "hour" },
  };
  g_autofree char *squashed = NULL;

  if (words == NULL)
    return;
  squashed = squash_words (words);
  for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
    if (strstr (squashed, intervals[i].word) != NULL)
      {
        g_free (posting->salary_interval);
        posting->salary_interval = g_strdup (intervals[i].interval);
        return;
      }
}

/* 70000 -> "70,000"; amounts with cents keep two decimals. */
static char *
format_amount (double amount)
{
  g_autofree char *digits = NULL;
  GString *text = g_string_new (NULL);
  gint64 cents = (gint64) (amount * 100 + 0.5);
  gint64 whole = cents / 100;
  gsize n;

  digits = g_strdup_printf ("%" G_GINT64_FORMAT, whole);
  n = strlen (digits);
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (text, ',');
      g_string_append_c (text, digits[i]);
    }
  if (cents % 100 != 0)
    g_string_append_printf (text, ".%02d", (int) (cents % 100));
  return g_string_free (text, FALSE);
}

/**
 * jsw_posting_dup_salary_text:
 *
 * Returns: (transfer full) (nullable): the salary as a person reads it,
 *   "EUR 70,000–90,000 per year", "from USD 40 per hour", or the board's own
 *   words; NULL when the board gives none
 */
char *
jsw_posting_dup_salary_text (const JswPosting *posting)
{
  g_autofree char *min = NULL;
  g_autofree char *max = NULL;
  g_autofree char *range = NULL;
  const char *per = NULL;

  if (!posting->has_salary_min && !posting->has_salary_max)
    return g_strdup (posting->salary_text);

  if (posting->has_salary_min)
    min = format_amount (posting->salary_min);
  if (posting->has_salary_max)
    max = format_amount (posting->salary_max);
  if (min != NULL && max != NULL && posting->salary_min != posting->salary_max)
    range = g_strdup_printf ("%s–%s", min, max);
  else if (min != NULL && max != NULL)
    range = g_strdup (min);
  else if (min != NULL)
    range = g_strdup_printf (_("from %s"), min);
  else
    range = g_strdup_printf (_("up to %s"), max);

  if (g_strcmp0 (posting->salary_interval, "year") == 0)
    per = _("per year");
  else if (g_strcmp0 (posting->salary_interval, "month") == 0)
    per = _("per month");
  else if (g_strcmp0 (posting->salary_interval, "week") == 0)
    per = _("per week");
  else if (g_strcmp0 (posting->salary_interval, "day") == 0)
    per = _("per day");
  else if (g_strcmp0 (posting->salary_interval, "hour") == 0)
    per = _("per hour");

  return g_strjoin (" ", posting->salary_currency ? posting->salary_currency : range,
                    posting->salary_currency ? range : (per ? per : NULL),
                    posting->salary_currency ? per : NULL, NULL);
}

static void
add_optional_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_salary_range (JsonBuilder      *builder,
                  const JswPosting *posting)
{
  json_builder_set_member_name (builder, "salary_range");
  if (!posting->has_salary_min && !posting->has_salary_max)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "min");
  if (posting->has_salary_min)
    json_builder_add_double_value (builder, posting->salary_min);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "max");
  if (posting->has_salary_max)
    json_builder_add_double_value (builder, posting->salary_max);
  else
    json_builder_add_null_value (builder);
  add_optional_string (builder, "currency", posting->salary_currency);
  add_optional_string (builder, "interval", posting->salary_interval);
  json_builder_end_object (builder);
}

/**
 * jsw_posting_to_job_node:
 *
 * Returns: (transfer full): the posting as a JOB (PROTOCOL.md), with the
 *   members docs/server.md "The job feed" lists: `location` joins the
 *   locations with "; ", `extra` holds `locations`, `remote`,
 *   `department`, `salary_range` and `source_url`. Without `posting_id`
 *   and `questions`: this is what a right swipe freezes.
 */
JsonNode *
jsw_posting_to_job_node (const JswPosting *posting)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *job_id = jsw_posting_dup_job_id (posting);
  g_autofree char *location = NULL;
  g_autofree char *salary = jsw_posting_dup_salary_text (posting);
  g_autofree char *posted_at = posting->posted_at > 0 ? jsw_time_format (posting->posted_at) : NULL;

  if (posting->locations->len > 0)
    {
      g_ptr_array_add (posting->locations, NULL);
      location = g_strjoinv ("; ", (char **) posting->locations->pdata);
      g_ptr_array_remove_index (posting->locations, posting->locations->len - 1);
    }

  json_builder_begin_object (builder);
  add_optional_string (builder, "job_id", job_id);
  add_optional_string (builder, "title", posting->title);
  add_optional_string (builder, "company", posting->company);
  add_optional_string (builder, "apply_url", posting->apply_url);
  add_optional_string (builder, "location", location);
  add_optional_string (builder, "description", posting->description);
  add_optional_string (builder, "salary", salary);
  add_optional_string (builder, "employment_type", posting->employment_type);
  add_optional_string (builder, "posted_at", posted_at);
  add_optional_string (builder, "source", posting->kind);
  json_builder_set_member_name (builder, "extra");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "locations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < posting->locations->len; i++)
    json_builder_add_string_value (builder, posting->locations->pdata[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "remote");
  json_builder_add_boolean_value (builder, posting->remote);
  add_optional_string (builder, "department", posting->department);
  add_salary_range (builder, posting);
  add_optional_string (builder, "source_url", posting->source_url);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * jsw_posting_to_job_json:
 * @error: JSW_ERROR_INVALID when the posting does not make a JOB that a
 *   swipe would take (no title, an apply_url that is not http(s), a
 *   snapshot over JSW_MAX_SNAPSHOT_SIZE)
 *
 * Returns: (transfer full): the JOB's JSON text, compact, as a right swipe
 *   stores it
 */
char *
jsw_posting_to_job_json (const JswPosting  *posting,
                         GError           **error)
{
  g_autoptr(JsonNode) node = jsw_posting_to_job_node (posting);
  g_autoptr(JswJob) job = jsw_job_new_from_object (json_node_get_object (node), error);

  if (job == NULL)
    return NULL;
  if (strlen (jsw_job_get_json (job)) > JSW_MAX_SNAPSHOT_SIZE)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INVALID,
                   _("The posting is larger than %d KiB as a job snapshot"), JSW_MAX_SNAPSHOT_SIZE / 1024);
      return NULL;
    }
  return g_strdup (jsw_job_get_json (job));
}

/**
 * jsw_posting_mentions_remote:
 * @text: a location or a workplace type, "Remote (EU)", "Berlin or remote"
 *
 * Returns: whether @text has the word "remote" (any case), the way boards
 *   without a remote flag (Greenhouse, Personio) say so
 */
gboolean
jsw_posting_mentions_remote (const char *text)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);
  const char *found = lower;

  while ((found = strstr (found, "remote")) != NULL)
    {
      gboolean starts = found == lower || !g_ascii_isalnum (found[-1]);
      gboolean ends = !g_ascii_isalnum (found[6]);

      if (starts && ends)
        return TRUE;
      found += 6;
    }
  return FALSE;
}

/**
 * jsw_posting_normalise_key:
 * @text: a company, a title, a location or a search word
 *
 * Returns: (transfer full): @text as the feed compares it: any case
 *   (case-folded), accents dropped (NFKD less combining marks), every run
 *   of punctuation and space as one space, trimmed. "Senior  Backend
 *   Engineer (Berlin)" and "senior backend engineer – berlin" read alike.
 */
char *
jsw_posting_normalise_key (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autofree char *folded = NULL;
  GString *key;
  gboolean pending_space = FALSE;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_strdup ("");
  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFKD);
  folded = g_utf8_casefold (decomposed, -1);
  key = g_string_new (NULL);
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK ||
          type == G_UNICODE_ENCLOSING_MARK)
        continue;
      if (!g_unichar_isalnum (c))
        {
          pending_space = key->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (key, ' ');
      pending_space = FALSE;
      g_string_append_unichar (key, c);
    }
  return g_string_free (key, FALSE);
}

/* Returns: (transfer full): what two likely duplicates share: the
 * normalised company and title (docs/server.md "Likely duplicates") */
char *
jsw_posting_dup_key (const JswPosting *posting)
{
  g_autofree char *company = jsw_posting_normalise_key (posting->company);
  g_autofree char *title = jsw_posting_normalise_key (posting->title);

  return g_strconcat (company, "\x1f", title, NULL);
}

void
jsw_posting_row_clear (JswPostingRow *row)
{
  g_free (row->job_id);
  g_free (row->job_json);
  g_free (row->questions_json);
  g_free (row->content_sha);
  g_free (row->dup_key);
  g_free (row->company_key);
  g_free (row->locations_key);
}

/**
 * jsw_posting_row_init:
 * @row: (out caller-allocates): cleared with jsw_posting_row_clear()
 * @error: JSW_ERROR_INVALID when the posting makes no JOB
 *
 * What a store keeps of @posting besides its title and description: its
 * JOB and questions as JSON, a digest of both (to tell a change), and the
 * keys the feed filters and groups on, normalised once here for both
 * stores. locations_key is "\x1fkey\x1fkey\x1f", so that a location
 * filter looks for a key as a substring.
 */
gboolean
jsw_posting_row_init (JswPostingRow     *row,
                      const JswPosting  *posting,
                      GError           **error)
{
  g_autoptr(GString) locations = g_string_new ("\x1f");
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);

  row->job_json = jsw_posting_to_job_json (posting, error);
  if (row->job_json == NULL)
    return FALSE;
  row->job_id = jsw_posting_dup_job_id (posting);
  if (posting->questions != NULL)
    row->questions_json = jsw_json_node_to_string (posting->questions);
  g_checksum_update (sha, (const guchar *) row->job_json, -1);
  g_checksum_update (sha, (const guchar *) "\n", 1);
  if (row->questions_json != NULL)
    g_checksum_update (sha, (const guchar *) row->questions_json, -1);
  row->content_sha = g_strdup (g_checksum_get_string (sha));
  row->dup_key = jsw_posting_dup_key (posting);
  row->company_key = jsw_posting_normalise_key (posting->company);
  for (guint i = 0; i < posting->locations->len; i++)
    {
      g_autofree char *key = jsw_posting_normalise_key (posting->locations->pdata[i]);

      g_string_append (locations, key);
      g_string_append_c (locations, '\x1f');
    }
  row->locations_key = g_strdup (locations->str);
  return TRUE;
}
