-- Intensity series the service pulls on a schedule (`impacts serve --grid-pull SOURCE:ZONE`):
-- one row per zone and instant (UTC seconds, the start of its step), the intensity in
-- gCO2eq/kWh, whether it is life-cycle or direct, the service it came from, whether that service
-- estimated it, and when it was stored. A later pull of the same instant replaces it (services
-- revise their estimates). Ingestion reads them back as a series (docs/grid.md).
CREATE TABLE grid_hours (
    zone TEXT NOT NULL,
    t BIGINT NOT NULL,
    step BIGINT NOT NULL,
    gco2eq_per_kwh DOUBLE PRECISION NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    estimated BIGINT NOT NULL,
    stored_at BIGINT NOT NULL,
    PRIMARY KEY (zone, t)
);
