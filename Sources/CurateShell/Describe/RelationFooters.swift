import CurateKit

/// The lines psql prints under a relation's columns (`\d NAME`), in psql's order: partition of and
/// partition key, owning table (TOAST), the index's own line, or a table's indexes, check and
/// foreign-key constraints, referencing tables, policies, statistics objects, rules and
/// publications; then a view's definition, triggers, and for tables the foreign server,
/// inheritance, partitions, typed table, replica identity, tablespace, access method and options.
extension RelationDescriber {
    mutating func addFooters() throws {
        if info.isPartition { try addPartitionOf() }
        if info.kind == "p" {
            let key = try shell.describeQuery("SELECT pg_catalog.pg_get_partkeydef('\(oid)'::pg_catalog.oid);")
            if key.rows.count == 1 { footers.append("Partition key: \(key.rows[0][0] ?? "")") }
        }
        if info.kind == "t" {
            let owner = try shell.describeQuery("""
                SELECT n.nspname, c.relname
                FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE reltoastrelid = '\(oid)';
                """)
            if owner.rows.count == 1 { footers.append("Owning table: \"\(owner.rows[0][0] ?? "").\(owner.rows[0][1] ?? "")\"") }
        }
        if info.kind == "i" || info.kind == "I" {
            try addIndexLine()
        } else if "rmfpIt".contains(info.kind) {
            if info.hasIndex { try addIndexes() }
            if info.checks != 0 { try addCheckConstraints() }
            // psql 18 looks for foreign keys whatever the trigger flag says.
            if version >= 180000 || info.hasTriggers || info.kind == "p" {
                try addForeignKeys()
                try addReferencedBy()
            }
            if version >= 90500 { try addPolicies() }
            try addStatisticsObjects()
            if info.hasRules && info.kind != "m" { try addRules() }
            if version >= 100000 { try addPublications() }
            if verbose && version >= 180000 { try addNotNullConstraints() }
        }
        if "vm".contains(info.kind) && verbose { try addViewDefinition() }
        if info.hasTriggers { try addTriggers() }
        if "rmfpIt".contains(info.kind) { try addTableTail() }
        if verbose && !info.options.isEmpty { footers.append("Options: \(info.options)") }
    }

    private mutating func addPartitionOf() throws {
        var sql = "SELECT inhparent::pg_catalog.regclass,\n  pg_catalog.pg_get_expr(c.relpartbound, c.oid),\n  "
        sql += version >= 140000 ? "inhdetachpending" : "false as inhdetachpending"
        if verbose { sql += ",\n  pg_catalog.pg_get_partition_constraintdef(c.oid)" }
        sql += "\nFROM pg_catalog.pg_class c JOIN pg_catalog.pg_inherits i ON c.oid = inhrelid\nWHERE c.oid = '\(oid)';"
        let result = try shell.describeQuery(sql)
        guard let row = result.rows.first else { return }
        footers.append("Partition of: \(row[0] ?? "") \(row[1] ?? "")\(row[2] == "t" ? " DETACH PENDING" : "")")
        if verbose {
            let constraint = row[3] ?? ""
            footers.append(constraint.isEmpty ? "No partition constraint" : "Partition constraint: \(constraint)")
        }
    }

    private mutating func addIndexLine() throws {
        var sql = "SELECT i.indisunique, i.indisprimary, i.indisclustered, i.indisvalid,\n"
        for (column, alias) in [("condeferrable", "condeferrable"), ("condeferred", "condeferred")] {
            sql += "  (NOT i.indimmediate) AND EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = i.indrelid AND "
                + "conindid = i.indexrelid AND contype IN ('p','u','x') AND \(column)) AS \(alias),\n"
        }
        sql += version >= 90400 ? "i.indisreplident,\n" : "false AS indisreplident,\n"
        sql += version >= 150000 ? "i.indnullsnotdistinct,\n" : "false AS indnullsnotdistinct,\n"
        sql += "  a.amname, c2.relname, pg_catalog.pg_get_expr(i.indpred, i.indrelid, true)\n"
            + "FROM pg_catalog.pg_index i, pg_catalog.pg_class c, pg_catalog.pg_class c2, pg_catalog.pg_am a\n"
            + "WHERE i.indexrelid = c.oid AND c.oid = '\(oid)' AND c.relam = a.oid\nAND i.indrelid = c2.oid;"
        let result = try shell.describeQuery(sql)
        // psql stops without printing the relation when the index is not found (a failed command).
        guard result.rows.count == 1 else { throw ReportedFailure() }
        let row = result.rows[0]
        var line: String
        if row[1] == "t" {
            line = "primary key, "
        } else if row[0] == "t" {
            line = "unique" + (row[7] == "t" ? " nulls not distinct" : "") + ", "
        } else {
            line = ""
        }
        line += "\(row[8] ?? ""), "
        // psql assumes the index and its table share the schema.
        line += "for table \"\(schema).\(row[9] ?? "")\""
        if let predicate = row[10], !predicate.isEmpty { line += ", predicate (\(predicate))" }
        if row[2] == "t" { line += ", clustered" }
        if row[3] != "t" { line += ", invalid" }
        if row[4] == "t" { line += ", deferrable" }
        if row[5] == "t" { line += ", initially deferred" }
        if row[6] == "t" { line += ", replica identity" }
        footers.append(line)
        if info.kind == "i" { try addTablespace(kind: "i", tablespace: info.tablespace, newLine: true) }
    }

    private mutating func addIndexes() throws {
        var sql = "SELECT c2.relname, i.indisprimary, i.indisunique, i.indisclustered, i.indisvalid, "
            + "pg_catalog.pg_get_indexdef(i.indexrelid, 0, true),\n  pg_catalog.pg_get_constraintdef(con.oid, true), "
            + "contype, condeferrable, condeferred"
        sql += version >= 90400 ? ", i.indisreplident" : ", false AS indisreplident"
        sql += ", c2.reltablespace"
        // A temporal key (WITHOUT OVERLAPS, PostgreSQL 18) is shown by its constraint definition.
        if version >= 180000 { sql += ", con.conperiod" }
        sql += "\nFROM pg_catalog.pg_class c, pg_catalog.pg_class c2, pg_catalog.pg_index i\n"
            + "  LEFT JOIN pg_catalog.pg_constraint con ON (conrelid = i.indrelid AND conindid = i.indexrelid AND contype IN ('p','u','x'))\n"
            + "WHERE c.oid = '\(oid)' AND c.oid = i.indrelid AND i.indexrelid = c2.oid\n"
            + "ORDER BY i.indisprimary DESC, c2.relname;"
        let result = try shell.describeQuery(sql)
        guard !result.rows.isEmpty else { return }
        footers.append("Indexes:")
        for row in result.rows {
            var line = "    \"\(row[0] ?? "")\""
            if row[7] == "x" || (version >= 180000 && row[12] == "t") {
                line += " \(row[6] ?? "")"
            } else {
                if row[1] == "t" {
                    line += " PRIMARY KEY,"
                } else if row[2] == "t" {
                    line += row[7] == "u" ? " UNIQUE CONSTRAINT," : " UNIQUE,"
                }
                // Everything after " USING " as the server wrote it.
                let definition = row[5] ?? ""
                if let using = definition.range(of: " USING ") {
                    line += " " + definition[using.upperBound...]
                } else {
                    line += " " + definition
                }
                if row[8] == "t" { line += " DEFERRABLE" }
                if row[9] == "t" { line += " INITIALLY DEFERRED" }
            }
            if row[3] == "t" { line += " CLUSTER" }
            if row[4] != "t" { line += " INVALID" }
            if row[10] == "t" { line += " REPLICA IDENTITY" }
            footers.append(line)
            try addTablespace(kind: "i", tablespace: row[11] ?? "0", newLine: false)
        }
    }

    private mutating func addCheckConstraints() throws {
        let result = try shell.describeQuery("""
            SELECT r.conname, pg_catalog.pg_get_constraintdef(r.oid, true)
            FROM pg_catalog.pg_constraint r
            WHERE r.conrelid = '\(oid)' AND r.contype = 'c'
            ORDER BY 1;
            """)
        guard !result.rows.isEmpty else { return }
        footers.append("Check constraints:")
        footers += result.rows.map { "    \"\($0[0] ?? "")\" \($0[1] ?? "")" }
    }

    private mutating func addForeignKeys() throws {
        var sql: String
        if version >= 120000 && (info.isPartition || info.kind == "p") {
            // The table's own constraints first, then those of its partitioned ancestors.
            sql = """
                SELECT conrelid = '\(oid)'::pg_catalog.regclass AS sametable,
                       conname,
                       pg_catalog.pg_get_constraintdef(oid, true) AS condef,
                       conrelid::pg_catalog.regclass AS ontable
                  FROM pg_catalog.pg_constraint,
                       pg_catalog.pg_partition_ancestors('\(oid)')
                 WHERE conrelid = relid AND contype = 'f' AND conparentid = 0
                ORDER BY sametable DESC, conname;
                """
        } else {
            sql = """
                SELECT true as sametable, conname,
                  pg_catalog.pg_get_constraintdef(r.oid, true) as condef,
                  conrelid::pg_catalog.regclass AS ontable
                FROM pg_catalog.pg_constraint r
                WHERE r.conrelid = '\(oid)' AND r.contype = 'f'

                """
            if version >= 120000 { sql += "     AND conparentid = 0\n" }
            sql += "ORDER BY conname"
        }
        let result = try shell.describeQuery(sql)
        guard !result.rows.isEmpty else { return }
        footers.append("Foreign-key constraints:")
        for row in result.rows {
            if row["sametable"] == "f" {
                footers.append("    TABLE \"\(row["ontable"] ?? "")\" CONSTRAINT \"\(row["conname"] ?? "")\" \(row["condef"] ?? "")")
            } else {
                footers.append("    \"\(row["conname"] ?? "")\" \(row["condef"] ?? "")")
            }
        }
    }

    private mutating func addReferencedBy() throws {
        let sql: String
        if version >= 120000 {
            sql = """
                SELECT conname, conrelid::pg_catalog.regclass AS ontable,
                       pg_catalog.pg_get_constraintdef(oid, true) AS condef
                  FROM pg_catalog.pg_constraint c
                 WHERE confrelid IN (SELECT pg_catalog.pg_partition_ancestors('\(oid)')
                                     UNION ALL VALUES ('\(oid)'::pg_catalog.regclass))
                       AND contype = 'f' AND conparentid = 0
                ORDER BY conname;
                """
        } else {
            sql = """
                SELECT conname, conrelid::pg_catalog.regclass AS ontable,
                       pg_catalog.pg_get_constraintdef(oid, true) AS condef
                  FROM pg_catalog.pg_constraint
                 WHERE confrelid = \(oid) AND contype = 'f'
                ORDER BY conname;
                """
        }
        let result = try shell.describeQuery(sql)
        guard !result.rows.isEmpty else { return }
        footers.append("Referenced by:")
        for row in result.rows {
            footers.append("    TABLE \"\(row["ontable"] ?? "")\" CONSTRAINT \"\(row["conname"] ?? "")\" \(row["condef"] ?? "")")
        }
    }

    private mutating func addPolicies() throws {
        var sql = "SELECT pol.polname,"
        sql += version >= 100000 ? " pol.polpermissive,\n" : " 't' as polpermissive,\n"
        sql += """
              CASE WHEN pol.polroles = '{0}' THEN NULL ELSE pg_catalog.array_to_string(array(select rolname from pg_catalog.pg_roles where oid = any (pol.polroles) order by 1),',') END,
              pg_catalog.pg_get_expr(pol.polqual, pol.polrelid),
              pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid),
              CASE pol.polcmd
                WHEN 'r' THEN 'SELECT'
                WHEN 'a' THEN 'INSERT'
                WHEN 'w' THEN 'UPDATE'
                WHEN 'd' THEN 'DELETE'
                END AS cmd
            FROM pg_catalog.pg_policy pol
            WHERE pol.polrelid = '\(oid)' ORDER BY 1;
            """
        let result = try shell.describeQuery(sql)
        let count = result.rows.count
        switch (info.rowSecurity, info.forceRowSecurity, count > 0) {
        case (true, false, true): footers.append("Policies:")
        case (true, true, true): footers.append("Policies (forced row security enabled):")
        case (true, false, false): footers.append("Policies (row security enabled): (none)")
        case (true, true, false): footers.append("Policies (forced row security enabled): (none)")
        case (false, _, true): footers.append("Policies (row security disabled):")
        default: break
        }
        for row in result.rows {
            var line = "    POLICY \"\(row[0] ?? "")\""
            if row[1]?.first == "f" { line += " AS RESTRICTIVE" }
            if let command = row[5] { line += " FOR \(command)" }
            if let roles = row[2] { line += "\n      TO \(roles)" }
            if let using = row[3] { line += "\n      USING (\(using))" }
            if let check = row[4] { line += "\n      WITH CHECK (\(check))" }
            footers.append(line)
        }
    }

    private mutating func addStatisticsObjects() throws {
        let sql: String
        if version >= 140000 {
            sql = """
                SELECT oid, stxrelid::pg_catalog.regclass, stxnamespace::pg_catalog.regnamespace::pg_catalog.text AS nsp, stxname,
                pg_catalog.pg_get_statisticsobjdef_columns(oid) AS columns,
                  'd' = any(stxkind) AS ndist_enabled,
                  'f' = any(stxkind) AS deps_enabled,
                  'm' = any(stxkind) AS mcv_enabled,
                stxstattarget
                FROM pg_catalog.pg_statistic_ext
                WHERE stxrelid = '\(oid)'
                ORDER BY nsp, stxname;
                """
        } else if version >= 100000 {
            sql = """
                SELECT oid, stxrelid::pg_catalog.regclass, stxnamespace::pg_catalog.regnamespace AS nsp, stxname,
                  (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(attname),', ')
                   FROM pg_catalog.unnest(stxkeys) s(attnum)
                   JOIN pg_catalog.pg_attribute a ON (stxrelid = a.attrelid AND
                        a.attnum = s.attnum AND NOT attisdropped)) AS columns,
                  'd' = any(stxkind) AS ndist_enabled,
                  'f' = any(stxkind) AS deps_enabled,
                  'm' = any(stxkind) AS mcv_enabled,

                """ + (version >= 130000 ? "  stxstattarget\n" : "  -1 AS stxstattarget\n") + """
                FROM pg_catalog.pg_statistic_ext
                WHERE stxrelid = '\(oid)'
                ORDER BY 1;
                """
        } else {
            return
        }
        let result = try shell.describeQuery(sql)
        guard !result.rows.isEmpty else { return }
        footers.append("Statistics objects:")
        for row in result.rows {
            let ndistinct = row[5] == "t", dependencies = row[6] == "t", mcv = row[7] == "t"
            var line = "    \"\(row[2] ?? "").\(row[3] ?? "")\""
            let kinds = [ndistinct ? "ndistinct" : nil, dependencies ? "dependencies" : nil, mcv ? "mcv" : nil].compactMap { $0 }
            if version >= 140000 {
                // No kinds shown for all three (CREATE STATISTICS' default) or none (one expression).
                if !kinds.isEmpty && kinds.count < 3 { line += " (" + kinds.joined(separator: ", ") + ")" }
                line += " ON \(row[4] ?? "") FROM \(row[1] ?? "")"
            } else {
                line += " (" + kinds.joined(separator: ", ") + ") ON \(row[4] ?? "") FROM \(row[1] ?? "")"
            }
            // The target is NULL (the default) from PostgreSQL 17 on: psql 18 leaves it out, psql 15 prints it empty.
            if row[8] != "-1" && (version < 180000 || row[8] != nil) { line += "; STATISTICS \(row[8] ?? "")" }
            footers.append(line)
        }
    }

    private mutating func addRules() throws {
        let result = try shell.describeQuery("""
            SELECT r.rulename, trim(trailing ';' from pg_catalog.pg_get_ruledef(r.oid, true)), ev_enabled
            FROM pg_catalog.pg_rewrite r
            WHERE r.ev_class = '\(oid)' ORDER BY 1;
            """)
        let categories: [(Character, String)] = [
            ("O", "Rules:"), ("D", "Disabled rules:"), ("A", "Rules firing always:"), ("R", "Rules firing on replica only:"),
        ]
        for (state, heading) in categories {
            let rules = result.rows.filter { $0[2]?.first == state }
            guard !rules.isEmpty else { continue }
            footers.append(heading)
            // Everything after "CREATE RULE ".
            footers += rules.map { "    " + String(($0[1] ?? "").dropFirst(12)) }
        }
    }

    private mutating func addPublications() throws {
        let sql: String
        if version >= 150000 {
            sql = """
                SELECT pubname
                     , NULL
                     , NULL
                FROM pg_catalog.pg_publication p
                     JOIN pg_catalog.pg_publication_namespace pn ON p.oid = pn.pnpubid
                     JOIN pg_catalog.pg_class pc ON pc.relnamespace = pn.pnnspid
                WHERE pc.oid ='\(oid)' and pg_catalog.pg_relation_is_publishable('\(oid)')
                UNION
                SELECT pubname
                     , pg_get_expr(pr.prqual, c.oid)
                     , (CASE WHEN pr.prattrs IS NOT NULL THEN
                         (SELECT string_agg(attname, ', ')
                           FROM pg_catalog.generate_series(0, pg_catalog.array_upper(pr.prattrs::pg_catalog.int2[], 1)) s,
                                pg_catalog.pg_attribute
                          WHERE attrelid = pr.prrelid AND attnum = prattrs[s])
                        ELSE NULL END) FROM pg_catalog.pg_publication p
                     JOIN pg_catalog.pg_publication_rel pr ON p.oid = pr.prpubid
                     JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid
                WHERE pr.prrelid = '\(oid)'
                UNION
                SELECT pubname
                     , NULL
                     , NULL
                FROM pg_catalog.pg_publication p
                WHERE p.puballtables AND pg_catalog.pg_relation_is_publishable('\(oid)')
                ORDER BY 1;
                """
        } else {
            sql = """
                SELECT pubname
                     , NULL
                     , NULL
                FROM pg_catalog.pg_publication p
                JOIN pg_catalog.pg_publication_rel pr ON p.oid = pr.prpubid
                WHERE pr.prrelid = '\(oid)'
                UNION ALL
                SELECT pubname
                     , NULL
                     , NULL
                FROM pg_catalog.pg_publication p
                WHERE p.puballtables AND pg_catalog.pg_relation_is_publishable('\(oid)')
                ORDER BY 1;
                """
        }
        let result = try shell.describeQuery(sql)
        guard !result.rows.isEmpty else { return }
        footers.append("Publications:")
        for row in result.rows {
            var line = "    \"\(row[0] ?? "")\""
            if let columns = row[2] { line += " (\(columns))" }
            if let filter = row[1] { line += " WHERE \(filter)" }
            footers.append(line)
        }
    }

    /// psql 18's "Not-null constraints:" (`\d+`, servers of 18 on, where NOT NULL is a named
    /// constraint): each with its column and how it came to the table.
    private mutating func addNotNullConstraints() throws {
        let result = try shell.describeQuery("""
            SELECT c.conname, a.attname, c.connoinherit,
              c.conislocal, c.coninhcount <> 0,
              c.convalidated
            FROM pg_catalog.pg_constraint c JOIN
              pg_catalog.pg_attribute a ON
                (a.attrelid = c.conrelid AND a.attnum = c.conkey[1])
            WHERE c.contype = 'n' AND
              c.conrelid = '\(oid)'::pg_catalog.regclass
            ORDER BY a.attnum
            """)
        guard !result.rows.isEmpty else { return }
        footers.append("Not-null constraints:")
        for row in result.rows {
            let local = row[3] == "t", inherited = row[4] == "t"
            var line = "    \"\(row[0] ?? "")\" NOT NULL \"\(row[1] ?? "")\""
            if row[2] == "t" {
                line += " NO INHERIT"
            } else if local && inherited {
                line += " (local, inherited)"
            } else if inherited {
                line += " (inherited)"
            }
            if row[5] != "t" { line += " NOT VALID" }
            footers.append(line)
        }
    }

    private mutating func addViewDefinition() throws {
        let result = try shell.describeQuery("SELECT pg_catalog.pg_get_viewdef('\(oid)'::pg_catalog.oid, true);")
        guard let definition = result.rows.first?[0] else { return }
        footers.append("View definition:")
        footers.append(definition)
        guard info.hasRules else { return }
        let rules = try shell.describeQuery("""
            SELECT r.rulename, trim(trailing ';' from pg_catalog.pg_get_ruledef(r.oid, true))
            FROM pg_catalog.pg_rewrite r
            WHERE r.ev_class = '\(oid)' AND r.rulename != '_RETURN' ORDER BY 1;
            """)
        guard !rules.rows.isEmpty else { return }
        footers.append("Rules:")
        // psql indents these by one space only.
        footers += rules.rows.map { " " + String(($0[1] ?? "").dropFirst(12)) }
    }

    private mutating func addTriggers() throws {
        var sql = "SELECT t.tgname, pg_catalog.pg_get_triggerdef(t.oid, true), t.tgenabled, t.tgisinternal,\n"
        if version >= 130000 {
            sql += """
                  CASE WHEN t.tgparentid != 0 THEN
                    (SELECT u.tgrelid::pg_catalog.regclass
                     FROM pg_catalog.pg_trigger AS u,
                          pg_catalog.pg_partition_ancestors(t.tgrelid) WITH ORDINALITY AS a(relid, depth)
                     WHERE u.tgname = t.tgname AND u.tgrelid = a.relid
                           AND u.tgparentid = 0
                     ORDER BY a.depth LIMIT 1)
                  END AS parent

                """
        } else {
            sql += "  NULL AS parent\n"
        }
        sql += "FROM pg_catalog.pg_trigger t\nWHERE t.tgrelid = '\(oid)' AND "
        if version >= 110000 && version < 150000 {
            sql += "(NOT t.tgisinternal OR (t.tgisinternal AND t.tgenabled = 'D') \n"
                + "    OR EXISTS (SELECT 1 FROM pg_catalog.pg_depend WHERE objid = t.oid \n"
                + "        AND refclassid = 'pg_catalog.pg_trigger'::pg_catalog.regclass))"
        } else {
            sql += "(NOT t.tgisinternal OR (t.tgisinternal AND t.tgenabled = 'D'))"
        }
        sql += "\nORDER BY 1;"
        let result = try shell.describeQuery(sql)
        let categories: [(String, (String, String) -> Bool)] = [
            ("Triggers:", { enabled, _ in enabled == "O" || enabled == "t" }),
            ("Disabled user triggers:", { enabled, isInternal in (enabled == "D" || enabled == "f") && isInternal == "f" }),
            ("Disabled internal triggers:", { enabled, isInternal in (enabled == "D" || enabled == "f") && isInternal == "t" }),
            ("Triggers firing always:", { enabled, _ in enabled == "A" }),
            ("Triggers firing on replica only:", { enabled, _ in enabled == "R" }),
        ]
        for (heading, belongs) in categories {
            let triggers = result.rows.filter { belongs(String(($0[2] ?? "").prefix(1)), String(($0[3] ?? "").prefix(1))) }
            guard !triggers.isEmpty else { continue }
            footers.append(heading)
            for row in triggers {
                // Everything after " TRIGGER ".
                let definition = row[1] ?? ""
                var line = "    "
                if let trigger = definition.range(of: " TRIGGER ") {
                    line += definition[trigger.upperBound...]
                } else {
                    line += definition
                }
                if let parent = row[4] { line += ", ON TABLE \(parent)" }
                footers.append(line)
            }
        }
    }

    /// The end of a table's footers: foreign server, parents, children, type, replica identity,
    /// tablespace and access method.
    private mutating func addTableTail() throws {
        let partitioned = info.kind == "p" || info.kind == "I"
        if info.kind == "f" {
            let result = try shell.describeQuery("""
                SELECT s.srvname,
                  pg_catalog.array_to_string(ARRAY(
                    SELECT pg_catalog.quote_ident(option_name) || ' ' || pg_catalog.quote_literal(option_value)
                    FROM pg_catalog.pg_options_to_table(ftoptions)),  ', ')
                FROM pg_catalog.pg_foreign_table f,
                     pg_catalog.pg_foreign_server s
                WHERE f.ftrelid = '\(oid)' AND s.oid = f.ftserver;
                """)
            guard result.rows.count == 1 else { throw ReportedFailure() }
            footers.append("Server: \(result.rows[0][0] ?? "")")
            if let options = result.rows[0][1], !options.isEmpty { footers.append("FDW options: (\(options))") }
        }

        let parents = try shell.describeQuery("""
            SELECT c.oid::pg_catalog.regclass
            FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i
            WHERE c.oid = i.inhparent AND i.inhrelid = '\(oid)'
              AND c.relkind != 'p' AND c.relkind != 'I'
            ORDER BY inhseqno;
            """)
        footers += Self.listed("Inherits", parents.rows.map { $0[0] ?? "" })

        let children: QueryResult
        if version >= 140000 {
            children = try shell.describeQuery("""
                SELECT c.oid::pg_catalog.regclass, c.relkind, inhdetachpending, pg_catalog.pg_get_expr(c.relpartbound, c.oid)
                FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i
                WHERE c.oid = i.inhrelid AND i.inhparent = '\(oid)'
                ORDER BY pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT', c.oid::pg_catalog.regclass::pg_catalog.text;
                """)
        } else if version >= 100000 {
            children = try shell.describeQuery("""
                SELECT c.oid::pg_catalog.regclass, c.relkind, false AS inhdetachpending, pg_catalog.pg_get_expr(c.relpartbound, c.oid)
                FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i
                WHERE c.oid = i.inhrelid AND i.inhparent = '\(oid)'
                ORDER BY pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT', c.oid::pg_catalog.regclass::pg_catalog.text;
                """)
        } else {
            children = try shell.describeQuery("""
                SELECT c.oid::pg_catalog.regclass, c.relkind, false AS inhdetachpending, NULL
                FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i
                WHERE c.oid = i.inhrelid AND i.inhparent = '\(oid)'
                ORDER BY c.oid::pg_catalog.regclass::pg_catalog.text;
                """)
        }
        let count = children.rows.count
        if partitioned && count == 0 {
            footers.append("Number of partitions: 0")
        } else if !verbose {
            if count > 0 {
                footers.append(partitioned
                    ? "Number of partitions: \(count) (Use \\d+ to list them.)"
                    : "Number of child tables: \(count) (Use \\d+ to list them.)")
            }
        } else {
            footers += Self.listed(partitioned ? "Partitions" : "Child tables", children.rows.map { row in
                var item = row[0] ?? ""
                if let bound = row[3] { item += " \(bound)" }
                if row[1] == "p" || row[1] == "I" { item += ", PARTITIONED" }
                if row[2] == "t" { item += " (DETACH PENDING)" }
                return item
            })
        }

        if let ofType = info.ofType { footers.append("Typed table of type: \(ofType)") }

        let identity = info.replicaIdentity
        if verbose && (info.kind == "r" || info.kind == "m") && identity != "i"
            && ((schema != "pg_catalog" && identity != "d") || (schema == "pg_catalog" && identity != "n"))
        {
            footers.append("Replica Identity: \(identity == "f" ? "FULL" : identity == "n" ? "NOTHING" : "???")")
        }
        if verbose && info.kind != "m" && info.hasOIDs { footers.append("Has OIDs: yes") }
        try addTablespace(kind: info.kind, tablespace: info.tablespace, newLine: true)
        if verbose, let method = info.accessMethod, !shell.variables.bool("HIDE_TABLEAM", default: false) {
            footers.append("Access method: \(method)")
        }
    }

    /// psql's list footers: `Label: first,` then the others under it, aligned after the label.
    static func listed(_ label: String, _ items: [String]) -> [String] {
        let indent = String(repeating: " ", count: label.count)  // the labels are ASCII
        return items.enumerated().map { index, item in
            (index == 0 ? "\(label): " : "\(indent)  ") + item + (index < items.count - 1 ? "," : "")
        }
    }

    /// psql's `add_tablespace_footer`: the tablespace of a relation that has one other than the
    /// database's default, as its own line or appended to the last footer (an index's line).
    mutating func addTablespace(kind: Character, tablespace: String, newLine: Bool) throws {
        guard "rmipIt".contains(kind), tablespace != "0", !tablespace.isEmpty else { return }
        let result = try shell.describeQuery("SELECT spcname FROM pg_catalog.pg_tablespace\nWHERE oid = '\(tablespace)';")
        guard let name = result.rows.first?[0] else { return }
        if newLine {
            footers.append("Tablespace: \"\(name)\"")
        } else if !footers.isEmpty {
            footers[footers.count - 1] += ", tablespace \"\(name)\""
        }
    }
}
