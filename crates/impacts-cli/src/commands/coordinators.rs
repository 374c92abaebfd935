//! Account managers from Slurm: each account's coordinators (`sacctmgr show user withcoord`),
//! the people Slurm already lets manage an account and its sub-accounts, see its jobs. Read when
//! the service starts (a failure stops it: the operator asked for them) and again every
//! `--coordinators-interval` (a failure then keeps the last list and is logged).

use std::collections::HashMap;
use std::process::Command;
use std::time::Duration;

use impacts_server::identity::Managers;

/// The accounts each manager sees, by manager.
pub type Accounts = HashMap<String, Vec<String>>;

/// The arguments given to sacctmgr: one line per user, `user|account,account` (Slurm lists a
/// coordinator of an account as a coordinator of its sub-accounts too).
pub const ARGS: [&str; 5] = [
    "-nP",
    "show",
    "user",
    "withcoord",
    "format=User,Coordinators",
];

/// Accounts by manager from sacctmgr's output; an error names the line that is not `user|accounts`.
pub fn parse(text: &str) -> Result<Accounts, String> {
    let mut out: Accounts = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let Some((user, accounts)) = line.split_once('|') else {
            return Err(format!(
                "line {}: expected USER|ACCOUNTS, found '{line}'",
                n + 1
            ));
        };
        if accounts.contains('|') || user.trim().is_empty() {
            return Err(format!(
                "line {}: expected USER|ACCOUNTS, found '{line}'",
                n + 1
            ));
        }
        let accounts: Vec<String> = accounts
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect();
        if !accounts.is_empty() {
            out.entry(user.trim().to_string())
                .or_default()
                .extend(accounts);
        }
    }
    Ok(out)
}

/// Runs sacctmgr and reads its coordinators.
pub fn read(command: &str) -> Result<Accounts, String> {
    let out = Command::new(command)
        .args(ARGS)
        .output()
        .map_err(|e| format!("cannot run {command}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{command} {} failed ({}): {}",
            ARGS.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    parse(&String::from_utf8_lossy(&out.stdout))
        .map_err(|e| format!("{command} {}: {e}", ARGS.join(" ")))
}

/// The managers of a file and Slurm's coordinators together: a user's accounts from both.
pub fn merged(file: &Accounts, slurm: Accounts) -> Accounts {
    let mut all = file.clone();
    for (user, accounts) in slurm {
        let mine = all.entry(user).or_default();
        for a in accounts {
            if !mine.contains(&a) {
                mine.push(a);
            }
        }
    }
    all
}

/// Reads the coordinators again every `interval`, forever, replacing the managers (with those of
/// the file); a failed read keeps the last ones and is logged.
pub async fn run(command: String, interval: Duration, file: Accounts, managers: Managers) {
    loop {
        tokio::time::sleep(interval).await;
        let c = command.clone();
        match tokio::task::spawn_blocking(move || read(&c)).await {
            Ok(Ok(slurm)) => {
                let n = slurm.len();
                managers.replace(merged(&file, slurm));
                impacts_server::log::line(&[
                    ("event", "coordinators"),
                    ("managers", &n.to_string()),
                ]);
            }
            Ok(Err(e)) => {
                impacts_server::log::line(&[("event", "coordinators-failed"), ("error", &e)]);
            }
            Err(e) => impacts_server::log::line(&[
                ("event", "coordinators-failed"),
                ("error", &e.to_string()),
            ]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinators_by_user() {
        // As Slurm 22.05 prints them (ci/slurm/live.sh's cluster, an account and its sub-account).
        let text = "alice|proj1,sub1\nbob|\nroot|\n";
        let m = parse(text).unwrap();
        assert_eq!(m.len(), 1, "users coordinating nothing are left out");
        assert_eq!(m["alice"], ["proj1", "sub1"]);
        let e = parse("alice|proj1\nnot a line\n").unwrap_err();
        assert!(e.contains("line 2"), "{e}");
        assert!(parse("a|b|c\n").is_err());
    }

    #[test]
    fn a_file_and_slurm_together() {
        let file = HashMap::from([("alice".to_string(), vec!["p0".to_string()])]);
        let slurm = parse("alice|p0,p1\ncarol|p2\n").unwrap();
        let m = merged(&file, slurm);
        assert_eq!(m["alice"], ["p0", "p1"]);
        assert_eq!(m["carol"], ["p2"]);
    }
}
