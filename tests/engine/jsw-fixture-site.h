/* jsw-fixture-site.h: a local site of application systems for the engine's
 * tests, which records every application posted to it
 *
 * Pages: /<system>/<scenario> for system greenhouse, lever, ashby, workday,
 * generic and scenario happy, unknown (an extra required question), captcha,
 * validation (the post is refused with the system's error), slow (the page
 * takes 3 s); /embed/<system> is a company page embedding the form in a
 * frame; /workday/login is a sign-in wall. Forms post to
 * /<system>/<scenario>/submit. /account/signin signs the browser in (a
 * cookie) and shows a plain form; /account/apply shows that form only to a
 * signed-in browser, else a sign-in wall.
 *
 * /corpus/<case>/... serves tests/fixtures/corpus (its README.md says how):
 * each case folder's files, posts recorded and answered as the case's
 * case.json says.
 *
 * jsw_fixture_site_start_proxy() adds an HTTP proxy in front of the site
 * that records what went through it.
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
  SoupServer *proxy;
  char       *proxy_url;
  GPtrArray  *proxied;     /* char*: the URLs requested through the proxy */
} JswFixtureSite;

JswFixtureSite *jsw_fixture_site_new   (const char     *fixtures_dir);
void            jsw_fixture_site_free  (JswFixtureSite *site);
char           *jsw_fixture_site_url   (JswFixtureSite *site,
                                        const char     *path);
const char     *jsw_fixture_post_field (JswFixturePost *post,
                                        const char     *name);
const char     *jsw_fixture_site_start_proxy (JswFixtureSite *site);
void            jsw_fixture_post_assert_greenhouse_profile (JswFixturePost *post);
GPid            jsw_fixture_web_process_of (GPid            parent);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswFixtureSite, jsw_fixture_site_free)

G_END_DECLS
