/* jsw-background.h: running in the background and starting at login
 *
 * Sandboxed (Flatpak, or with GTK_USE_PORTAL=1 as GTK itself honours) this
 * asks the Background portal, which also sets up starting at login;
 * otherwise starting at login is an autostart entry. Another platform
 * brings its own backend behind this function (a login item on macOS).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void jsw_background_request (GApplication *application,
                             gboolean      start_at_login);

G_END_DECLS
