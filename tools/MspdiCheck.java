// Reads MSPDI files with MPXJ's strict reader, reschedules each with MPXJ's
// re-implementation of Microsoft Project's scheduler, and compares the
// dates with those in the file. Exit 0 when every file reads without an
// ignored error and every task keeps its dates. With --golden DIR, also
// writes DIR/NAME.mpxj.csv: each task's gantry id (Text1) and the start and
// finish the scheduler gave it, for tests/mspdi_golden.rs. See
// docs/export.md and tools/mspdi-golden.sh.
//
//   java -cp "$MPXJ_LIB/*" tools/MspdiCheck.java [--golden DIR] FILE.xml...

import java.io.FileInputStream;
import java.io.PrintWriter;
import java.io.File;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;

import org.mpxj.ProjectFile;
import org.mpxj.Task;
import org.mpxj.cpm.MicrosoftScheduler;
import org.mpxj.mspdi.MSPDIReader;

public class MspdiCheck {
    public static void main(String[] args) throws Exception {
        int problems = 0;
        String golden = null;
        java.util.List<String> paths = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--golden")) golden = args[++i];
            else paths.add(args[i]);
        }
        String version = System.getProperty("mpxj.version", "(version not given)");
        for (String path : paths) {
            MSPDIReader reader = new MSPDIReader();
            reader.setIgnoreErrors(false);
            ProjectFile project;
            try (FileInputStream in = new FileInputStream(path)) {
                project = reader.read(in);
            }
            for (Exception error : project.getIgnoredErrors()) {
                System.out.println(path + ": ignored error: " + error);
                problems++;
            }
            Map<Integer, LocalDateTime[]> written = new HashMap<>();
            for (Task task : project.getTasks()) {
                if (task.getUniqueID() == 0 || task.getSummary()) continue;
                written.put(task.getUniqueID(), new LocalDateTime[] { task.getStart(), task.getFinish() });
            }
            LocalDateTime start = project.getProjectProperties().getStartDate();
            new MicrosoftScheduler().schedule(project, start);
            int tasks = 0;
            PrintWriter out = null;
            if (golden != null) {
                String name = new File(path).getName().replaceAll("\\.xml$", "");
                out = new PrintWriter(new File(golden, name + ".mpxj.csv"), "UTF-8");
                out.println("# MPXJ " + version + " MicrosoftScheduler: " + name + " through gantry export --to mspdi");
                out.println("id,start,finish");
            }
            for (Task task : project.getTasks()) {
                LocalDateTime[] dates = written.get(task.getUniqueID());
                if (dates == null) continue;
                tasks++;
                if (out != null) out.println(task.getText(1) + "," + task.getStart() + "," + task.getFinish());
                if (!dates[0].equals(task.getStart()) || !dates[1].equals(task.getFinish())) {
                    System.out.println(path + ": task " + task.getUniqueID() + " " + task.getName()
                        + ": file " + dates[0] + " to " + dates[1]
                        + ", Microsoft scheduler " + task.getStart() + " to " + task.getFinish());
                    problems++;
                }
            }
            if (out != null) out.close();
            System.out.println(path + ": " + tasks + " tasks, " + project.getResources().size()
                + " resources, " + project.getCalendars().size() + " calendars read");
        }
        System.out.println(problems == 0 ? "ok" : problems + " problems");
        System.exit(problems == 0 ? 0 : 1);
    }
}
