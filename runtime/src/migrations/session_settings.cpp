// Puts a deploy's session back as it started, after each migration script.
#include "session_settings.hpp"

namespace pmc::migrations {

void restore_session_settings(db::WritableConnection& connection) {
  // RESET ALL leaves the role and the session user alone: they get statements of their own.
  connection.execute("RESET ALL");
  connection.execute("SET SESSION AUTHORIZATION DEFAULT");
  connection.execute("RESET ROLE");
}

}  // namespace pmc::migrations
