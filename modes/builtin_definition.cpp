#include "modes/builtin_definition.hpp"

#include "soap/ids.hpp"

namespace outbound::modes {

soap::definition builtin_account_definition() {
  soap::definition d;
  d.full_name = "Notify_ERP";
  d.name = "Notify ERP";
  d.description = "Sends the account's name, number and billing address to the ERP listener.";
  d.object = "Account";
  for (const char* name : {"AccountNumber", "BillingCity", "BillingCountry", "BillingPostalCode",
                           "BillingStreet", "Name"})
    d.fields.push_back({name, soap::field_type::string});
  d.endpoint_url = "https://erp.example.com/sfdc/account";
  d.use_dead_letter_queue = true;
  d.integration_user = "integration@example.com";
  d.organization_id = soap::make_id(soap::key_prefix::organization, 1);
  d.action_id = soap::make_id(soap::key_prefix::action, 1);
  return d;
}

}  // namespace outbound::modes
