"""The repositories one app uses, built once from its driver."""

from __future__ import annotations

from dataclasses import dataclass

from neo4j import AsyncDriver

from graph.agencies import Neo4jAgencyRepository
from graph.agreements import Neo4jAgreementRepository
from graph.audit import Neo4jAuditLog
from graph.cases import Neo4jCaseRepository
from graph.disclosures import Neo4jDisclosureRepository
from graph.imports import Neo4jImportRepository
from graph.links import Neo4jLinkRepository
from graph.paths import Neo4jPathRepository
from graph.persons import Neo4jIdentifierRepository, Neo4jPersonRepository
from graph.recorded_reads import DisclosuresWritten
from graph.retention import Neo4jRetentionRepository
from graph.search import Neo4jSearchRepository
from graph.strategy import Neo4jStrategyRepository
from graph.tokens import Neo4jTokenRepository


@dataclass(frozen=True)
class Repositories:
    agencies: Neo4jAgencyRepository
    tokens: Neo4jTokenRepository
    agreements: Neo4jAgreementRepository
    cases: Neo4jCaseRepository
    disclosures: Neo4jDisclosureRepository
    audit: Neo4jAuditLog
    persons: Neo4jPersonRepository
    identifiers: Neo4jIdentifierRepository
    links: Neo4jLinkRepository
    search: Neo4jSearchRepository
    paths: Neo4jPathRepository
    imports: Neo4jImportRepository
    retention: Neo4jRetentionRepository
    strategy: Neo4jStrategyRepository

    @classmethod
    def on(
        cls, driver: AsyncDriver, database: str, *, on_disclosures: DisclosuresWritten | None = None
    ) -> Repositories:
        """`on_disclosures` hears every dissemination record the reads write, once committed."""
        return cls(
            agencies=Neo4jAgencyRepository(driver, database),
            tokens=Neo4jTokenRepository(driver, database),
            agreements=Neo4jAgreementRepository(driver, database),
            cases=Neo4jCaseRepository(driver, database, on_disclosures=on_disclosures),
            disclosures=Neo4jDisclosureRepository(driver, database),
            audit=Neo4jAuditLog(driver, database),
            persons=Neo4jPersonRepository(driver, database),
            identifiers=Neo4jIdentifierRepository(driver, database),
            links=Neo4jLinkRepository(driver, database, on_disclosures=on_disclosures),
            search=Neo4jSearchRepository(driver, database, on_disclosures=on_disclosures),
            paths=Neo4jPathRepository(driver, database, on_disclosures=on_disclosures),
            imports=Neo4jImportRepository(driver, database),
            retention=Neo4jRetentionRepository(driver, database),
            strategy=Neo4jStrategyRepository(driver, database),
        )
