// The shell tokenizer the script rules stand on: command words past prefixes, comments,
// here-documents, substitutions and sh -c, with the file's positions.
#include <gtest/gtest.h>

#include "shell/script_sources.hpp"
#include "shell/shell_commands.hpp"

namespace pmc::audit {
namespace {

std::vector<std::string> command_words(std::string_view script) {
  std::vector<std::string> words;
  for (const ShellCommand& command : shell_commands(script)) {
    if (command.has_command()) words.push_back(command_name(command.command_word().text));
  }
  return words;
}

TEST(ShellCommands, FindsCommandWordsPastPrefixesAndOperators) {
  EXPECT_EQ(command_words("A=1 B=2 psql -c 'x' && sudo -u postgres dropdb db || exec env X=1 createdb y\n"),
            (std::vector<std::string>{"psql", "dropdb", "createdb"}));
  EXPECT_EQ(command_words("if true; then timeout 5 pg_restore a; fi | npx prisma migrate deploy"),
            (std::vector<std::string>{"true", "pg_restore", "prisma"}));
}

TEST(ShellCommands, ReadsSubstitutionsAndShellMinusC) {
  EXPECT_EQ(command_words("n=$(psql -tA -c \"$(cat q.sql)\")\necho \"`createdb x`\"\nbash -ec 'dropdb y'\n"),
            (std::vector<std::string>{"cat", "psql", "createdb", "echo", "bash", "dropdb"}));
}

TEST(ShellCommands, SkipsCommentsQuotedWordsAndHereDocuments) {
  const std::string script =
      "# psql in a comment\n"
      "echo 'psql; dropdb' \"createdb\" # psql\n"
      "cat <<-EOF\n"
      "\tpsql -c 'DROP TABLE x'\n"
      "\tEOF\n"
      "cat <<'SQL' >out.sql\n"
      "dropdb y\n"
      "SQL\n"
      "grep -c psql <<<\"psql\"\n";
  EXPECT_EQ(command_words(script), (std::vector<std::string>{"echo", "cat", "cat", "grep"}));
}

TEST(ShellCommands, KeepsTheFilesPositions) {
  const std::vector<ShellCommand> commands = shell_commands("echo a \\\n  b\n\n   psql x\n");
  ASSERT_EQ(commands.size(), 2u);
  EXPECT_EQ(commands[0].words.size(), 3u);  // the continued line is one command
  EXPECT_EQ(commands[1].command_word().line, 4u);
  EXPECT_EQ(commands[1].command_word().column, 4u);
}

TEST(ScriptSources, FindsShellInYamlMakefilesDockerfilesAndPackageJson) {
  const std::string yaml =
      "jobs:\n"
      "  a:\n"
      "    steps:\n"
      "      - name: psql\n"
      "        run: psql -c 'x'\n"
      "      - run: |\n"
      "          echo 1\n"
      "          dropdb y\n"
      "    script:\n"
      "      - createdb z\n";
  std::vector<std::pair<std::string, unsigned>> found;
  for (const ShellCommand& command : file_commands(".github/workflows/a.yml", yaml)) {
    if (command.has_command()) found.emplace_back(command.command_word().text, command.command_word().line);
  }
  EXPECT_EQ(found, (std::vector<std::pair<std::string, unsigned>>{{"psql", 5}, {"echo", 7}, {"dropdb", 8}, {"createdb", 10}}));
  EXPECT_EQ(file_commands("Makefile", "all:\n\t@psql -c x\nX = psql\n").size(), 1u);
  EXPECT_EQ(file_commands("Dockerfile", "FROM x\nRUN a && \\\n  psql y\nCMD psql\n").size(), 2u);
  EXPECT_EQ(file_commands("package.json", "{\"scripts\": {\"m\": \"prisma migrate deploy\"}}").size(), 1u);
  EXPECT_TRUE(file_commands("notes.txt", "psql -c x\n").empty());
  EXPECT_EQ(file_commands("tools/run", "#!/usr/bin/env bash\npsql x\n").size(), 1u);
}

}  // namespace
}  // namespace pmc::audit
