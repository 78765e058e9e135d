# bench/app-harness.sh: what the app benchmarks share (sourced, not run).
# Starts a server with one desktop user, the fixture site, and the app
# signed in, all on loopback, inside Xvfb with a D-Bus session and a
# keyring; sets SERVER_URL, SITE_URL, TOKEN, APP_PID, WORK.
set -eu
cd "$(dirname "$0")/.."
[ -d build/meson-private ] || meson setup build -Dbuildtype=debugoptimized >/dev/null
meson compile -C build >/dev/null

if [ -z "${JSW_BENCH_INSIDE:-}" ]; then
  export JSW_BENCH_INSIDE=1
  exec xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- "$0" "$@"
fi

WORK=$(mktemp -d)
echo -n bench | XDG_DATA_HOME="$WORK/keyring" gnome-keyring-daemon --unlock --components=secrets >/dev/null
SERVER=build/src/server/jobswipe-server
"$SERVER" serve --listen 127.0.0.1:0 --db "$WORK/server.db" --log-level warning > "$WORK/serve.out" 2>/dev/null &
SERVER_PID=$!
build/bench/bench-fixture-site "$PWD/tests/fixtures" > "$WORK/site.out" 2>/dev/null &
SITE_PID=$!
APP_PID=""
trap 'kill $APP_PID $SITE_PID 2>/dev/null; kill -TERM $SERVER_PID 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
while [ ! -s "$WORK/serve.out" ] || [ ! -s "$WORK/site.out" ]; do sleep 0.05; done
SERVER_URL=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["listening"])' "$WORK/serve.out")
SITE_URL=$(cat "$WORK/site.out")
TOKEN=$("$SERVER" user add bench@example.org --plan enterprise --db "$WORK/server.db" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
printf '%s' "$TOKEN" > "$WORK/token"
curl -sf -X PUT -H "Authorization: Bearer $TOKEN" "$SERVER_URL/v1/me/preference" -d '{"execution_mode":"desktop"}' >/dev/null
printf '%%PDF-1.4\n%%%%EOF\n' > "$WORK/resume.pdf"
python3 - "$WORK" <<'PY'
import json, sys
profile = json.load(open("data/demo-profile.json"))
profile["resume_path"] = sys.argv[1] + "/resume.pdf"
json.dump(profile, open(sys.argv[1] + "/profile.json", "w"))
PY

export XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config" XDG_CACHE_HOME="$WORK/cache"
export GSETTINGS_SCHEMA_DIR="$PWD/build/data" GSETTINGS_BACKEND=memory

# start_app ARGS...: the app, signed in, with the profile.
start_app() {
  build/src/app/jobswipe --server "$SERVER_URL" --token-file "$WORK/token" \
    --import-profile "$WORK/profile.json" "$@" > "$WORK/app.log" 2>&1 &
  APP_PID=$!
}

# tree_pids PID: the process and all it started.
tree_pids() {
  python3 - "$1" <<'PY'
import os, sys
todo, seen = [int(sys.argv[1])], []
while todo:
    p = todo.pop(); seen.append(p)
    try:
        for t in os.listdir(f"/proc/{p}/task"):
            todo += [int(c) for c in open(f"/proc/{p}/task/{t}/children").read().split()]
    except OSError:
        pass
print(" ".join(map(str, seen)))
PY
}
