#pragma once
// A WSDL of the same structure as the one Salesforce generates for an outbound message
// (see shared/reference/salesforce/Account.wsdl), for any definition.
//   std::string wsdl = write_wsdl(load_definition("Account.workflow-meta.xml"));

#include <string>

#include "soap/definition.hpp"

namespace outbound::soap {

std::string write_wsdl(const definition& d);

}  // namespace outbound::soap
