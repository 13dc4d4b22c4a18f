// The report folder every run, load and check writes: report.json, report.html, junit.xml and
// status.csv, each written to a temporary name and renamed so a reader never sees half a file.
#include <fstream>
#include <stdexcept>
#include <system_error>

#include "common/input_error.hpp"
#include "common/json_text.hpp"
#include "reports/render.hpp"

namespace outbound::reports {

namespace {

void write_file(const std::filesystem::path& path, const std::string& content) {
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw std::runtime_error("cannot write " + path.string() + ": " + ec.message());
}

}  // namespace

void write_report_folder(const run_report& r, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  // A file in the way or a folder without write permission is the user's to fix: exit 2.
  if (ec)
    throw input_error(dir.string(), "",
                      "a folder the report can be written into (" + ec.message() + ")");
  write_file(dir / "report.json", dump_json(to_json(r), 2) + "\n");
  write_file(dir / "report.html", render_html(r));
  write_file(dir / "junit.xml", render_junit(r));
  write_file(dir / "status.csv", render_status_csv(r));
}

}  // namespace outbound::reports
