#!/usr/bin/env bash
# Runs the GitLab template for real with gitlab-ci-local (shell executor): the
# example project's notebooks in two parallel shards, then the merge job.
#
#   bash ci/gitlab/run-local.sh            # from a checkout of this repository
#
# Needs git, rsync, Node.js and npm, and pip access to the package index. The plugin is
# installed from this checkout (NBGATE_SPEC), the rest as the template does.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/nbgate-gitlab-XXXXXX")"
tools="$work/tools"
project="$work/project"
npm install --silent --no-save --prefix "$tools" gitlab-ci-local@4.70.1

mkdir -p "$project"
cp -r "$repo/example_repo/notebooks" "$repo/example_repo/src" "$repo/example_repo/pyproject.toml" "$project/"
cp "$repo/ci/gitlab/nbgate.gitlab-ci.yml" "$project/nbgate.gitlab-ci.yml"
# example_repo/.gitlab-ci.yml, with the template included from this checkout.
sed 's#^  - remote: .*#  - local: nbgate.gitlab-ci.yml#' "$repo/example_repo/.gitlab-ci.yml" > "$project/.gitlab-ci.yml"
cd "$project"
git init -q -b main
git add -A
git -c user.name=nbgate -c user.email=nbgate@localhost commit -q -m "example project"

# One job at a time: shell-executor jobs share the project folder and its cached venv.
"$tools/node_modules/.bin/gitlab-ci-local" \
    --force-shell-executor --concurrency 1 \
    --variable "NBGATE_SPEC=$repo[ci]"
echo "merged reports:"
ls -l "$project/merged"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["summary"])' "$project/merged/nbgate.json"
