// Reading a store without writing: SQLITE_OPEN_READONLY, then the checks of sqlite_identity.
#include "sender/store_reader.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "common/input_error.hpp"
#include "sender/sqlite_db.hpp"
#include "sender/sqlite_identity.hpp"
#include "sender/store_detail.hpp"

namespace outbound::sender {

struct store_reader::impl {
  explicit impl(const std::filesystem::path& file) : db(file, detail::sqlite_db::read_only) {}
  mutable detail::sqlite_db db;
};

store_reader::store_reader(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec))
    throw input_error(file.string(), "",
                      "an existing store file (outbound send creates one; --store names it)");
  impl_ = std::make_unique<impl>(file);
  (void)detail::identify_store(impl_->db, /*must_exist=*/true);
}

store_reader::~store_reader() = default;

std::vector<std::string> store_reader::definition_names() const {
  std::vector<std::string> names;
  detail::statement_use q(impl_->db, "SELECT full_name FROM definitions ORDER BY id");
  while (q.step()) names.emplace_back(q.text(0));
  return names;
}

void store_reader::for_each_notified_record(std::span<const std::string> definitions,
                                            const std::function<void(const record&)>& visit) const {
  std::string ids;  // the definitions' row ids, for an IN list of integers
  for (const std::string& name : definitions) {
    detail::statement_use q(impl_->db, "SELECT id FROM definitions WHERE full_name = ?1");
    q.bind(1, name);
    if (!q.step())
      throw input_error(impl_->db.file(), name,
                        "the name of a definition in this store (outbound definitions lists them)");
    ids += fmt::format("{}{}", ids.empty() ? "" : ",", q.int64(0));
  }
  const std::string which = definitions.empty() ? "" : " WHERE definition IN (" + ids + ")";
  detail::statement_use q(impl_->db,
                          "SELECT id, object, fields, deleted, last_modified FROM records WHERE id "
                          "IN (SELECT record_id FROM notifications" +
                              which + ") ORDER BY id");
  while (q.step()) {
    record r;
    r.id = std::string(q.text(0));
    r.object = std::string(q.text(1));
    const auto fields = detail::decode_fields(q.text(2));
    if (!fields)
      throw input_error(impl_->db.file(), "/records/" + r.id + "/fields",
                        "the values outbound wrote ({\"Name\": \"Acme\", ...}): the row was edited "
                        "or is damaged");
    r.fields = *fields;
    r.deleted = q.int64(3) != 0;
    r.last_modified = time_point(duration(q.int64(4)));
    visit(r);
  }
}

std::vector<std::string> fields_not_newest(const record& r,
                                           std::span<const soap::field_value> received) {
  std::vector<std::string> differ;
  for (const auto& f : received) {
    if (f.name == "Id") continue;
    const auto it = std::find_if(r.fields.begin(), r.fields.end(),
                                 [&](const soap::field_value& v) { return v.name == f.name; });
    // A field the record has no value for is sent as nil (store_detail.hpp: field_views).
    const std::optional<std::string> current = it == r.fields.end() ? std::nullopt : it->value;
    if (current != f.value) differ.push_back(f.name);
  }
  return differ;
}

}  // namespace outbound::sender
