#!/usr/bin/env python3
"""Checks the Flatpak manifest: well-formed JSON, the app's id and command,
a GNOME runtime (it carries WebKitGTK 6.0, libadwaita, libsoup 3,
json-glib and libsecret), and the permissions the app needs: the network,
Wayland with an X11 fallback, GPU access; secrets and background go
through portals, which need no permission."""
import json
import sys

manifest = json.load(open(sys.argv[1], encoding="utf-8"))
errors = []
expect = {"id": "org.jobswipe.JobSwipe", "command": "jobswipe", "runtime": "org.gnome.Platform", "sdk": "org.gnome.Sdk"}
for key, value in expect.items():
    if manifest.get(key) != value:
        errors.append(f"{key} should be {value!r}, is {manifest.get(key)!r}")
if int(manifest.get("runtime-version", "0")) < 45:
    errors.append("runtime-version should be 45 or newer (WebKitGTK 6.0)")
args = set(manifest.get("finish-args", []))
for needed in ["--share=network", "--socket=wayland", "--socket=fallback-x11", "--device=dri"]:
    if needed not in args:
        errors.append(f"finish-args lack {needed}")
for forbidden in ["--filesystem=home", "--filesystem=host", "--talk-name=org.freedesktop.secrets"]:
    if forbidden in args:
        errors.append(f"finish-args should not have {forbidden} (portals do it)")
module = next((m for m in manifest.get("modules", []) if isinstance(m, dict) and m.get("name") == "jobswipe"), None)
if module is None or module.get("buildsystem") != "meson":
    errors.append("the jobswipe module should be built with meson")
elif "-Dserver=false" not in module.get("config-opts", []):
    errors.append("the app's Flatpak does not build the server (-Dserver=false)")
for error in errors:
    print(error)
print("flatpak manifest: " + ("ok" if not errors else f"{len(errors)} problems"))
sys.exit(1 if errors else 0)
