/* jsw-blocker.h: what stops a run until a person steps in, as the adapters
 * report it (a code and its data), and its words for that person
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The codes resources/adapters/runtime.js reports (their JSON names in
 * parentheses). */
typedef enum {
  JSW_BLOCKER_CAPTCHA,           /* "captcha": a captcha on the page */
  JSW_BLOCKER_SIGN_IN,           /* "sign_in": a sign-in or sign-up wall */
  JSW_BLOCKER_EMAIL_CODE,        /* "email_code": a code the site e-mailed */
  JSW_BLOCKER_UNKNOWN_QUESTION,  /* "unknown_question": required, no saved answer */
  JSW_BLOCKER_FIELD_REJECTED,    /* "field_rejected": the site refused what was given */
  JSW_BLOCKER_MISSING_FILE,      /* "missing_file": a file the form requires */
  /* LinkedIn's own stops (resources/adapters/linkedin.js; docs/engine.md) */
  JSW_BLOCKER_LINKEDIN_DAILY_LIMIT,     /* "linkedin_daily_limit": its daily-limit panel */
  JSW_BLOCKER_LINKEDIN_THROTTLED,       /* "linkedin_throttled": "applying at a fast pace" */
  JSW_BLOCKER_LINKEDIN_CHECKPOINT,      /* "linkedin_checkpoint": a security check, captcha or checkpoint */
  JSW_BLOCKER_LINKEDIN_RESTRICTED,      /* "linkedin_restricted": the account is restricted */
  JSW_BLOCKER_LINKEDIN_CLOSED,          /* "linkedin_closed": no longer accepting applications */
  JSW_BLOCKER_LINKEDIN_ALREADY_APPLIED, /* "linkedin_already_applied" */
  JSW_BLOCKER_LINKEDIN_EXTERNAL,        /* "linkedin_external": applied to on the employer's site */
} JswBlockerCode;

/* How the form asks an unknown question, so that the app asks it alike. */
typedef enum {
  JSW_ASK_TEXT,       /* "text": one line */
  JSW_ASK_LONG_TEXT,  /* "long_text": a text area */
  JSW_ASK_CHOICE,     /* "choice": one of @options (a select, radios) */
  JSW_ASK_YES_NO,     /* "yes_no" */
  JSW_ASK_FILE,       /* "file" */
} JswAskKind;

typedef struct {
  JswBlockerCode  code;
  char           *label;     /* the form's question or field; NULL for a wall */
  JswAskKind      kind;
  GStrv           options;   /* JSW_ASK_CHOICE: the form's options, in order */
  char           *message;   /* JSW_BLOCKER_FIELD_REJECTED: the site's words */
} JswBlocker;

JswBlocker  *jsw_blocker_new             (JswBlockerCode    code,
                                          const char       *label);
void         jsw_blocker_free            (JswBlocker       *blocker);
JswBlocker  *jsw_blocker_from_json       (JsonObject       *object);
void         jsw_blocker_add_json        (JswBlocker       *blocker,
                                          JsonBuilder      *builder);
const char  *jsw_blocker_code_to_string  (JswBlockerCode    code);
gboolean     jsw_blocker_needs_page      (JswBlocker       *blocker);
char        *jsw_blocker_describe        (JswBlocker       *blocker);
GPtrArray   *jsw_blockers_from_json      (const char       *json,
                                          GError          **error);
char        *jsw_blockers_to_json        (GPtrArray        *blockers);
const char  *jsw_blockers_linkedin_stop  (GPtrArray        *blockers);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswBlocker, jsw_blocker_free)

G_END_DECLS
