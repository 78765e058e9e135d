/* jsw-application.h: the desktop app: one instance, a window or none
 *
 * Its parts are properties, which its windows read and watch rather than
 * include this header: `session` (JswSession), `profile-store`
 * (JswProfileStore), and, once signed in, `queue-model` (JswQueueModel)
 * and `runner` (JswRunner).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define JSW_APPLICATION_ID "org.jobswipe.JobSwipe"
#define JSW_TYPE_APPLICATION (jsw_application_get_type ())

G_DECLARE_FINAL_TYPE (JswApplication, jsw_application, JSW, APPLICATION, AdwApplication)

JswApplication *jsw_application_new (void);

G_END_DECLS
