//! Server integration tests: the real server on a free port, driven over HTTP
//! as a client would, against a fresh SQLite file and a fresh PostgreSQL
//! database each.

mod helpers;

mod abuse;
mod access;
mod account_links;
mod accounts;
mod admin;
mod audit_db;
mod backup;
mod bench;
mod calendar;
mod catalogue;
mod catalogue_admin;
mod chain;
mod citizen_key;
mod complaint_files;
mod complaint_moves;
mod complaint_pages;
mod complaints;
mod dashboard;
mod delivery;
mod display;
mod evasion;
mod export;
mod failures;
mod files;
mod hostile_text;
mod integrity;
mod leadership;
mod limits;
mod metrics;
mod notifications;
mod open311;
mod overview;
mod pages;
mod publication;
mod races;
mod replicas;
mod report;
mod roles;
mod rollups;
mod sign_in;
mod sign_out;
mod summary;
mod sync;
mod verify;
mod zones;
