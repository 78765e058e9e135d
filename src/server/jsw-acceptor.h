/* jsw-acceptor.h: accepts the server's connections and keeps them in bounds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct {
  guint max_connections;      /* open at once, streams included */
  guint max_per_address;      /* open at once from one client address */
  guint header_timeout_s;     /* from accepting to the end of the request headers */
  guint body_timeout_s;       /* from the headers to the end of the request body */
  guint accept_failure_s;     /* accept() failing this long without a success is fatal */
} JswAcceptorLimits;

#define JSW_TYPE_ACCEPTOR (jsw_acceptor_get_type ())

G_DECLARE_FINAL_TYPE (JswAcceptor, jsw_acceptor, JSW, ACCEPTOR, GObject)

JswAcceptor *jsw_acceptor_new              (SoupServer              *soup,
                                            const JswAcceptorLimits *limits);
gboolean     jsw_acceptor_listen           (JswAcceptor             *self,
                                            GSocketAddress          *address,
                                            guint                   *bound_port,
                                            GError                 **error);
gboolean     jsw_acceptor_answer_now       (JswAcceptor             *self,
                                            SoupServerMessage       *msg);
GSocket     *jsw_acceptor_get_socket       (JswAcceptor             *self,
                                            SoupServerMessage       *msg);
void         jsw_acceptor_stop             (JswAcceptor             *self);
guint        jsw_acceptor_get_n_open       (JswAcceptor             *self);
guint        jsw_acceptor_get_max_connections (JswAcceptor          *self);

G_END_DECLS
