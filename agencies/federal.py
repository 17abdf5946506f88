"""Federal components that work trafficking cases or serve its victims.

The FBI Crime Data Explorer list holds state, local and tribal agencies only. These real federal
components are added by hand. Their ids are Sett's own ORI-style codes (prefix `US`), not official ORIs.
"""

from __future__ import annotations

from agencies.models import Agency, AgencyLevel, AgencySource

_COMPONENTS = (
    ("USFBI0000", "Federal Bureau of Investigation"),
    ("USHSI0000", "Homeland Security Investigations, U.S. Immigration and Customs Enforcement"),
    ("USCEOS000", "Child Exploitation and Obscenity Section, Criminal Division, U.S. Department of Justice"),
    ("USHTPU000", "Human Trafficking Prosecution Unit, Civil Rights Division, U.S. Department of Justice"),
    ("USMS00000", "United States Marshals Service"),
    ("USDSS0000", "Diplomatic Security Service, U.S. Department of State"),
    ("USPIS0000", "United States Postal Inspection Service"),
    ("USDOLOIG0", "Office of Inspector General, U.S. Department of Labor"),
    ("USIRSCI00", "Criminal Investigation, Internal Revenue Service"),
    ("USOVC0000", "Office for Victims of Crime, U.S. Department of Justice"),
    ("USOTIP000", "Office on Trafficking in Persons, U.S. Department of Health and Human Services"),
)

FEDERAL_AGENCIES: tuple[Agency, ...] = tuple(
    Agency(id=code, name=name, level=AgencyLevel.FEDERAL, source=AgencySource.SETT_FEDERAL, agency_type="Federal")
    for code, name in _COMPONENTS
)
