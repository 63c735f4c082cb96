// Internal to deploy: the session put back as it started after each migration script.
#pragma once

#include "pmc/db.hpp"

namespace pmc::migrations {

// Every setting back to the session's default (RESET ALL: the startup options pmc connected
// with, i.e. ?schema='s search_path and pmc's timeouts), the role and session user back to the
// login role. A script's session-level SET (search_path, a timeout, SET ROLE) then reaches
// neither pmc's bookkeeping nor the next script: every migration runs as it would in a session
// of its own, whichever migrations share the deploy.
void restore_session_settings(db::WritableConnection& connection);

}  // namespace pmc::migrations
