/* jsw-engine.h: the automation engine's browser: one WebKit network session
 * and the adapters' script world, for either execution mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <webkit/webkit.h>

G_BEGIN_DECLS

/* The isolated script world the adapters run in; page scripts cannot see
 * into it. */
#define JSW_ENGINE_SCRIPT_WORLD "jobswipe"

typedef enum {
  JSW_ENGINE_MODE_DESKTOP,  /* visible, the person's persistent profile */
  JSW_ENGINE_MODE_SERVER,   /* no window, ephemeral session, proxies */
} JswEngineMode;

#define JSW_TYPE_ENGINE (jsw_engine_get_type ())

G_DECLARE_FINAL_TYPE (JswEngine, jsw_engine, JSW, ENGINE, GObject)

void           jsw_engine_prepare_server_process (void);
JswEngine     *jsw_engine_new            (JswEngineMode        mode,
                                          const char          *profile_dir);
JswEngineMode  jsw_engine_get_mode       (JswEngine           *self);
void           jsw_engine_set_proxies    (JswEngine           *self,
                                          const char * const  *proxies);
const char    *jsw_engine_next_proxy     (JswEngine           *self);
WebKitWebView *jsw_engine_create_view    (JswEngine           *self);
gboolean       jsw_engine_view_lost_page (WebKitWebView       *view);
const char    *jsw_engine_view_lost_page_why (WebKitWebView   *view);
gboolean       jsw_engine_view_is_drawn  (WebKitWebView       *view);
char          *jsw_engine_default_profile_dir (void);
GtkWidget     *jsw_engine_hold_view      (WebKitWebView       *view,
                                          gboolean             shown);

G_END_DECLS
