/* jsw-target-guard-address.c: which addresses the guard lets through
 *
 * Public addresses only: loopback, link-local, private, shared, multicast
 * and reserved ranges are refused, unless the operator let one address
 * and port through (--allow-target) or all of them (--allow-private-targets).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-target-guard-private.h"

/* Addresses */

static gboolean
ipv4_is_public (const guint8 *b)
{
  return !(b[0] == 0 ||                                   /* 0.0.0.0/8 "this network" */
           b[0] == 10 ||                                  /* 10/8 private */
           b[0] == 127 ||                                 /* loopback */
           (b[0] == 100 && (b[1] & 0xc0) == 64) ||        /* 100.64/10 carrier-grade NAT */
           (b[0] == 169 && b[1] == 254) ||                /* link-local, cloud metadata */
           (b[0] == 172 && (b[1] & 0xf0) == 16) ||        /* 172.16/12 private */
           (b[0] == 192 && b[1] == 0 && b[2] == 0) ||     /* 192.0.0/24 protocol assignments */
           (b[0] == 192 && b[1] == 168) ||                /* 192.168/16 private */
           (b[0] == 198 && (b[1] & 0xfe) == 18) ||        /* 198.18/15 benchmarking */
           b[0] >= 224);                                  /* multicast, reserved, broadcast */
}

/**
 * jsw_address_is_public:
 * @address: an address a name resolved to
 *
 * Whether @address is one the open Internet routes: not loopback, link-local,
 * private (RFC 1918, IPv6 unique local), carrier-grade NAT, multicast,
 * reserved or unspecified (RFC 6890's special-purpose registries). An IPv6
 * address that carries an IPv4 one (mapped, or NAT64's 64:ff9b::/96) is
 * judged by the IPv4 address.
 */
gboolean
jsw_address_is_public (GInetAddress *address)
{
  const guint8 *b = g_inet_address_to_bytes (address);
  static const guint8 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
  static const guint8 nat64[12] = { 0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0 };

  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4)
    return ipv4_is_public (b);
  if (memcmp (b, mapped, 12) == 0 || memcmp (b, nat64, 12) == 0)
    return ipv4_is_public (b + 12);
  return !(g_inet_address_get_is_any (address) ||
           g_inet_address_get_is_loopback (address) ||
           g_inet_address_get_is_link_local (address) ||
           g_inet_address_get_is_site_local (address) ||
           g_inet_address_get_is_multicast (address) ||
           (b[0] & 0xfe) == 0xfc ||                     /* fc00::/7 unique local */
           (b[0] == 0 && b[1] == 0));                   /* ::/16: unspecified, compatible, reserved */
}

static char *
address_and_port (GInetAddress *address,
                  guint16       port)
{
  g_autofree char *text = g_inet_address_to_string (address);

  return g_strdup_printf ("%s %u", text, port);
}

/* Whether the operator let @address:@port through (--allow-target). */
gboolean
jsw_target_guard_is_allowed (JswTargetGuard *self,
                             GInetAddress   *address,
                             guint16         port)
{
  g_autofree char *key = NULL;

  if (self->allowed->len == 0)
    return FALSE;
  key = address_and_port (address, port);
  return g_ptr_array_find_with_equal_func (self->allowed, key, g_str_equal, NULL);
}

/* "ADDRESS:PORT" ("10.0.0.5:8443", "[fd00::5]:443") as is_allowed() keys it. */
char *
jsw_target_guard_parse_allowed (const char  *text,
                                GError     **error)
{
  g_autoptr(GSocketConnectable) parsed = g_network_address_parse (text, 0, NULL);
  g_autoptr(GInetAddress) address = NULL;
  guint16 port;

  if (parsed != NULL)
    address = g_inet_address_new_from_string (g_network_address_get_hostname (G_NETWORK_ADDRESS (parsed)));
  port = parsed != NULL ? g_network_address_get_port (G_NETWORK_ADDRESS (parsed)) : 0;
  if (address == NULL || port == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s is not an address and a port (10.0.0.5:8443, [fd00::5]:443)", text);
      return NULL;
    }
  return address_and_port (address, port);
}
