#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "soap/definition.hpp"
#include "soap/definition_detail.hpp"

namespace outbound::soap {
namespace {

struct type_names {
  field_type type;
  std::string_view name;
  std::string_view xsd;
};

constexpr std::array<type_names, 7> type_table{{
    {field_type::string, "string", "xsd:string"},
    {field_type::id, "ID", "ent:ID"},
    {field_type::boolean, "boolean", "xsd:boolean"},
    {field_type::integer, "int", "xsd:int"},
    {field_type::number, "double", "xsd:double"},
    {field_type::date, "date", "xsd:date"},
    {field_type::datetime, "dateTime", "xsd:dateTime"},
}};

// Standard fields whose type is not told by their name's shape (Salesforce's enterprise WSDL).
constexpr std::array<std::pair<std::string_view, field_type>, 22> standard_fields{{
    {"CreatedDate", field_type::datetime},
    {"LastModifiedDate", field_type::datetime},
    {"SystemModstamp", field_type::datetime},
    {"LastViewedDate", field_type::datetime},
    {"LastReferencedDate", field_type::datetime},
    {"ClosedDate", field_type::datetime},
    {"CloseDate", field_type::date},
    {"Birthdate", field_type::date},
    {"LastActivityDate", field_type::date},
    {"ActivityDate", field_type::date},
    {"ConvertedDate", field_type::date},
    {"StartDate", field_type::date},
    {"EndDate", field_type::date},
    {"Amount", field_type::number},
    {"AnnualRevenue", field_type::number},
    {"Probability", field_type::number},
    {"ExpectedRevenue", field_type::number},
    {"TotalOpportunityQuantity", field_type::number},
    {"NumberOfEmployees", field_type::integer},
    {"DoNotCall", field_type::boolean},
    {"HasOptedOutOfEmail", field_type::boolean},
    {"HasOptedOutOfFax", field_type::boolean},
}};

bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}

}  // namespace

std::string_view to_string(field_type t) {
  for (const auto& row : type_table)
    if (row.type == t) return row.name;
  return "string";
}

std::string_view xsd_type(field_type t) {
  for (const auto& row : type_table)
    if (row.type == t) return row.xsd;
  return "xsd:string";
}

namespace defs {

std::optional<field_type> field_type_from_string(std::string_view s) {
  for (const auto& row : type_table)
    if (row.name == s) return row.type;
  return std::nullopt;
}

field_type guess_field_type(std::string_view n) {
  for (const auto& [name, type] : standard_fields)
    if (name == n) return type;
  if (n == "Id") return field_type::id;
  // Lookups: AccountId, OwnerId, CreatedById (lower-case letter before "Id").
  if (n.size() > 2 && n.ends_with("Id") && is_lower(n[n.size() - 3])) return field_type::id;
  // Flags: IsDeleted, IsWon, HasOpportunityLineItem.
  if (n.size() > 2 && n.starts_with("Is") && is_upper(n[2])) return field_type::boolean;
  if (n.size() > 3 && n.starts_with("Has") && is_upper(n[3])) return field_type::boolean;
  return field_type::string;
}

void sort_fields_like_salesforce(std::vector<field>& fields) {
  auto lower = [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  std::stable_sort(fields.begin(), fields.end(), [&](const field& a, const field& b) {
    bool less =
        std::lexicographical_compare(a.name.begin(), a.name.end(), b.name.begin(), b.name.end(),
                                     [&](char x, char y) { return lower(x) < lower(y); });
    bool greater =
        std::lexicographical_compare(b.name.begin(), b.name.end(), a.name.begin(), a.name.end(),
                                     [&](char x, char y) { return lower(x) < lower(y); });
    if (less || greater) return less;
    return a.name < b.name;
  });
}

}  // namespace defs
}  // namespace outbound::soap
