/* jsw-fixture-site.h: a local site of application systems for the engine's
 * tests, which records every application posted to it
 *
 * Pages: /<system>/<scenario> for system greenhouse, lever, ashby, workday,
 * generic and scenario happy, unknown (an extra required question), captcha,
 * validation (the post is refused with the system's error), slow (the page
 * takes 3 s); /embed/<system> is a company page embedding the form in a
 * frame; /workday/login is a sign-in wall. Forms post to
 * /<system>/<scenario>/submit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct {
  char       *path;
  GHashTable *fields;      /* name -> value */
  GHashTable *files;       /* name -> GBytes */
  GHashTable *file_names;  /* name -> the file's name */
} JswFixturePost;

typedef struct {
  SoupServer *server;
  char       *base;
  char       *dir;
  GPtrArray  *posts;       /* JswFixturePost */
  GPtrArray  *spy_reports; /* char*: what page scripts could see */
} JswFixtureSite;

JswFixtureSite *jsw_fixture_site_new   (const char     *fixtures_dir);
void            jsw_fixture_site_free  (JswFixtureSite *site);
char           *jsw_fixture_site_url   (JswFixtureSite *site,
                                        const char     *path);
const char     *jsw_fixture_post_field (JswFixturePost *post,
                                        const char     *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswFixtureSite, jsw_fixture_site_free)

G_END_DECLS
