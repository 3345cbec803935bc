package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import livekit.LivekitRtc.LeaveRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;

/**
 * deploy/kubernetes cannot be applied on this machine (no cluster), so it is checked against the
 * server it deploys: the embedded configuration goes through the server's own reader and resolution
 * (with the pod's environment as the StatefulSet builds it), the container ports must be exactly
 * the ports that configuration opens, the probes hit paths a real server answers, and the preStop
 * hook, grace period, host network and security settings are what draining and WebRTC media need.
 */
class KubernetesManifestsTest {
  private static final Path DIR = Path.of("..", "deploy", "kubernetes");
  // What the downward API would give the pod (TEST-NET-1 for the node's address).
  private static final String POD_NAME = "visio-0";
  private static final String HOST_IP = "192.0.2.10";
  // As drain_timeout defaults in the server (issue 10).
  private static final int DEFAULT_DRAIN_SECONDS = 30;
  // The preStop script: a pause (its seconds), then the image's jar (its path) with --drain.
  private static final Pattern PRE_STOP =
      Pattern.compile("^sleep (\\d+); exec java (?:-\\S+ )*-jar (\\S+) --drain$");

  private static Map<String, List<Map<String, Object>>> byKind;
  private static Map<String, Object> statefulSet;
  private static Map<String, Object> podSpec;
  private static Map<String, Object> container;

  @BeforeAll
  static void load() throws IOException {
    byKind = new HashMap<>();
    for (Path file : manifests()) {
      for (Object doc : yaml().loadAll(Files.readString(file))) {
        Map<String, Object> m = map(doc);
        byKind.computeIfAbsent(str(m, "kind"), k -> new ArrayList<>()).add(m);
      }
    }
    statefulSet = only("StatefulSet");
    podSpec = map(get(statefulSet, "spec", "template", "spec"));
    List<Map<String, Object>> containers = maps(podSpec.get("containers"));
    assertThat(containers).hasSize(1);
    container = containers.getFirst();
  }

  @Test
  void kustomizationListsEveryManifestAndSetsTheImageWithoutARegistry() throws IOException {
    Map<String, Object> k = map(yaml().load(Files.readString(DIR.resolve("kustomization.yaml"))));
    Set<String> listed = new TreeSet<>(strings(k.get("resources")));
    Set<String> files = new TreeSet<>();
    manifests().forEach(f -> files.add(f.getFileName().toString()));
    assertThat(listed).isEqualTo(files);
    assertThat(str(k, "namespace")).isEqualTo(str(map(only("Namespace").get("metadata")), "name"));
    // Both containers run the image kustomize rewrites; no registry host is committed.
    String image = str(container, "image");
    assertThat(maps(k.get("images"))).extracting(i -> i.get("name")).containsExactly(image);
    assertThat(maps(podSpec.get("initContainers")))
        .extracting(c -> c.get("image"))
        .containsOnly(image);
    assertThat(image).doesNotContain("/").doesNotContain(".");
  }

  @Test
  void theConfigMapIsAcceptedByTheServerAndItsPortsAreTheContainerPorts(@TempDir Path tmp)
      throws Exception {
    ServerConfig cfg = resolvedConfig(tmp);
    Set<String> opened = new HashSet<>();
    opened.add(cfg.httpPort() + "/TCP");
    opened.add(cfg.udpPort() + "/UDP");
    if (cfg.iceTcp().enabled()) {
      opened.add(cfg.iceTcp().port() + "/TCP");
    }
    if (cfg.turn().enabled()) {
      if (cfg.turn().udpPort() > 0) {
        opened.add(cfg.turn().udpPort() + "/UDP");
      }
      if (cfg.turn().tcpPort() > 0) {
        opened.add(cfg.turn().tcpPort() + "/TCP");
      }
      if (cfg.turn().tlsPort() > 0) {
        opened.add(cfg.turn().tlsPort() + "/TCP");
      }
    }
    cfg.tls().ifPresent(t -> opened.add(t.port() + "/TCP"));
    cfg.cluster().filter(c -> c.linkPort() > 0).ifPresent(c -> opened.add(c.linkPort() + "/UDP"));
    Set<String> declared = new HashSet<>();
    for (Map<String, Object> p : maps(container.get("ports"))) {
      declared.add(num(p, "containerPort") + "/" + str(p, "protocol"));
      // With hostNetwork a hostPort, if given, must be the container port.
      if (p.containsKey("hostPort")) {
        assertThat(num(p, "hostPort")).isEqualTo(num(p, "containerPort"));
      }
    }
    assertThat(declared).isEqualTo(opened);
    assertThat(portNamed("http")).isEqualTo(cfg.httpPort());
  }

  @Test
  void eachPodIsANodeNamedAfterItselfOnItsHostsAddress(@TempDir Path tmp) throws Exception {
    ServerConfig cfg = resolvedConfig(tmp);
    var cluster = cfg.cluster().orElseThrow();
    assertThat(cluster.nodeId()).isEqualTo(POD_NAME);
    // Media candidates and the URL the other nodes relay signalling to: the node's address,
    // which only works because the pod shares the node's network.
    assertThat(cfg.announcedAddresses()).containsExactly(InetAddress.ofLiteral(HOST_IP));
    assertThat(cluster.httpUrl()).isEqualTo(URI.create("http://" + HOST_IP + ":" + cfg.httpPort()));
    assertThat(podSpec.get("hostNetwork")).isEqualTo(true);
    // Cluster DNS (Redis, PostgreSQL) from the host network needs this policy.
    assertThat(podSpec.get("dnsPolicy")).isEqualTo("ClusterFirstWithHostNet");
    // Two pods on one node would fight over the same host ports.
    Map<String, Object> term =
        maps(get(
                podSpec,
                "affinity",
                "podAntiAffinity",
                "requiredDuringSchedulingIgnoredDuringExecution"))
            .getFirst();
    assertThat(term.get("topologyKey")).isEqualTo("kubernetes.io/hostname");
    assertThat(get(term, "labelSelector", "matchLabels")).isEqualTo(podLabels());
  }

  @Test
  void theProbesAskWhatARealServerAnswers() throws Exception {
    assertThat(probePath("startupProbe")).isEqualTo("/healthz");
    assertThat(probePath("livenessProbe")).isEqualTo("/healthz");
    assertThat(probePath("readinessProbe")).isEqualTo("/readyz");
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      assertThat(get(container, probe, "httpGet", "port")).as(probe).isEqualTo("http");
    }
    try (VisioServer server = VisioServer.start(TestServers.keyedConfig(1));
        HttpClient http = HttpClient.newHttpClient()) {
      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        URI uri = URI.create("http://127.0.0.1:" + server.httpPort() + probePath(probe));
        HttpResponse<String> r =
            http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(probe).isEqualTo(200);
      }
    }
  }

  @Test
  void preStopDrainsTheServerWithVisioDrainWithinTheGracePeriod() throws IOException {
    List<String> command = strings(get(container, "lifecycle", "preStop", "exec", "command"));
    assertThat(command.subList(0, 2)).containsExactly("/bin/sh", "-c");
    String script = command.get(2);
    // The pause first (endpoints drop the pod), then the image's own jar with --drain, which asks
    // the server over loopback and returns once it drained
    // (thePreStopHookAsWrittenDrainsARunningServer runs it).
    Matcher m = PRE_STOP.matcher(script);
    assertThat(m.matches()).as(script).isTrue();
    int pause = Integer.parseInt(m.group(1));
    String dockerfile = Files.readString(DIR.resolve("Dockerfile"));
    assertThat(dockerfile).contains("\"-jar\", \"" + m.group(2) + "\"]");
    assertThat(new picocli.CommandLine(new Main()).parseArgs("--drain").hasMatchedOption("--drain"))
        .isTrue();
    // The hook shares the container's environment: the same configuration as the server's.
    assertThat(container).doesNotContainKeys("command");
    int grace = num(podSpec, "terminationGracePeriodSeconds");
    assertThat(grace)
        .as("pause, drain, the server's bounded close and the hook's JVM start")
        .isGreaterThan(drainTimeoutSeconds() + pause + (int) Main.CLOSE_LIMIT.toSeconds() + 3);
  }

  /**
   * The preStop hook's script, run by {@code /bin/sh} with the pod's environment and configuration
   * against a running server: it drains the server and exits 0. Three things differ from the pod:
   * the pause is 0 s (no endpoints to wait for), {@code java -jar} the image's jar becomes this
   * JVM's java on the test class path (the same {@code Main}), and the configuration's HTTP port is
   * the test server's.
   */
  @Test
  void thePreStopHookAsWrittenDrainsARunningServer(@TempDir Path tmp) throws Exception {
    String script = strings(get(container, "lifecycle", "preStop", "exec", "command")).get(2);
    Matcher m = PRE_STOP.matcher(script);
    assertThat(m.matches()).as(script).isTrue();
    ServerConfig pod = resolvedConfig(tmp);
    ServerConfig local =
        new ServerConfig(
            "127.0.0.1",
            0,
            0,
            List.of(InetAddress.getLoopbackAddress()),
            true,
            Optional.empty(),
            1,
            pod.apiKeys());
    try (VisioServer server = VisioServer.start(local)) {
      RtcSignalTest.Client ann =
          RtcSignalTest.connect(
              server.httpPort(),
              TokenIssuer.forKey(
                      pod.apiKeys(), pod.apiKeys().keyNames().iterator().next(), Clock.systemUTC())
                  .issue(
                      "ann",
                      "ann",
                      null,
                      Map.of(),
                      VideoGrant.join("hook"),
                      Duration.ofMinutes(5)));
      assertThat(ann.next().hasJoin()).isTrue();
      Path config = tmp.resolve("hook-config.yaml");
      Files.writeString(
          config,
          Files.readString(renderedConfig(tmp))
              .replaceFirst("(?m)^port: \\d+", "port: " + server.httpPort()));
      String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String hookScript =
          script
              .replace("sleep " + m.group(1) + ";", "sleep 0;")
              .replace("exec java ", "exec '" + javaBin + "' ")
              .replace(
                  "-jar " + m.group(2),
                  "-cp '" + System.getProperty("java.class.path") + "' eu.visio.server.Main");
      Path output = tmp.resolve("hook.out");
      ProcessBuilder hook =
          new ProcessBuilder("/bin/sh", "-c", hookScript)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile());
      hook.environment().clear();
      hook.environment().put("PATH", "/usr/bin:/bin");
      hook.environment().putAll(podEnvironment());
      hook.environment().put("VISIO_CONFIG", config.toString());
      Process p = hook.start();
      boolean exited = p.waitFor(60, TimeUnit.SECONDS);
      p.destroyForcibly();
      String said = Files.readString(output);
      assertThat(exited).as(said).isTrue();
      assertThat(p.exitValue()).as(said).isZero();
      assertThat(said).contains("visio: drained: ");
      assertThat(server.drainStatus().done()).isTrue();
      assertThat(ann.nextLeave().getLeave().getAction()).isEqualTo(LeaveRequest.Action.RECONNECT);
    }
  }

  @Test
  void theImageRunsTheShadedJarAsThePodsUser() throws IOException {
    String dockerfile = Files.readString(DIR.resolve("Dockerfile"));
    // The shaded jar's name (server/pom.xml finalName), copied where the entrypoint runs it.
    Matcher copy =
        Pattern.compile("(?m)^COPY server/target/visio-server\\.jar (\\S+)$").matcher(dockerfile);
    assertThat(copy.find()).as("COPY of the jar").isTrue();
    assertThat(dockerfile).contains("\"-jar\", \"" + copy.group(1) + "\"]");
    Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)$").matcher(dockerfile);
    assertThat(user.find()).as("numeric USER").isTrue();
    Map<String, Object> pod = map(podSpec.get("securityContext"));
    assertThat(Integer.parseInt(user.group(1))).isEqualTo(num(pod, "runAsUser"));
    assertThat(Integer.parseInt(user.group(2))).isEqualTo(num(pod, "runAsGroup"));
  }

  @Test
  void runsAsNonRootReadOnlyWithTheDataDirectoryWritable(@TempDir Path tmp) throws Exception {
    Map<String, Object> pod = map(podSpec.get("securityContext"));
    assertThat(pod.get("runAsNonRoot")).isEqualTo(true);
    assertThat(num(pod, "runAsUser")).isPositive();
    List<Map<String, Object>> all = new ArrayList<>(maps(podSpec.get("initContainers")));
    all.add(container);
    for (Map<String, Object> c : all) {
      Map<String, Object> sc = map(c.get("securityContext"));
      assertThat(sc.get("readOnlyRootFilesystem")).as(str(c, "name")).isEqualTo(true);
      assertThat(sc.get("allowPrivilegeEscalation")).as(str(c, "name")).isEqualTo(false);
      assertThat(strings(get(sc, "capabilities", "drop"))).containsExactly("ALL");
      assertThat(map(c.get("resources"))).containsKeys("requests", "limits");
    }
    // The server writes only under data_dir and /tmp: both must be writable volumes.
    Path dataDir = ConfigFile.read(renderedConfig(tmp)).dataDir().orElseThrow();
    assertThat(writableMount(dataDir.toString())).as("data_dir " + dataDir).isTrue();
    assertThat(writableMount("/tmp")).isTrue();
  }

  @Test
  void theServicesAndBudgetSelectThePods() {
    Map<String, Object> labels = podLabels();
    assertThat(get(statefulSet, "spec", "selector", "matchLabels")).isEqualTo(labels);
    List<Map<String, Object>> services = byKind.get("Service");
    Set<String> names = new HashSet<>();
    for (Map<String, Object> s : services) {
      names.add(str(map(s.get("metadata")), "name"));
      assertThat(get(s, "spec", "selector")).isEqualTo(labels);
      for (Map<String, Object> p : maps(get(s, "spec", "ports"))) {
        Object target = p.get("targetPort");
        assertThat(target instanceof String n ? portNamed(n) : target).isEqualTo(portNamed("http"));
      }
    }
    assertThat(names).contains(str(map(statefulSet.get("spec")), "serviceName"));
    Map<String, Object> pdb = only("PodDisruptionBudget");
    assertThat(get(pdb, "spec", "selector", "matchLabels")).isEqualTo(labels);
    assertThat(num(map(pdb.get("spec")), "maxUnavailable")).isEqualTo(1);
    Map<String, Object> backend =
        map(
            get(
                maps(get(maps(get(only("Ingress"), "spec", "rules")).getFirst(), "http", "paths"))
                    .getFirst(),
                "backend",
                "service"));
    assertThat(names).contains(str(backend, "name"));
  }

  @Test
  void everySecretTheContainerReadsIsInTheExampleSecretMarkedToReplace() {
    Map<String, Object> secret = only("Secret");
    Map<String, Object> data = map(secret.get("stringData"));
    String name = str(map(secret.get("metadata")), "name");
    for (Map<String, Object> e : maps(container.get("env"))) {
      Object from = e.get("valueFrom");
      if (from != null && map(from).containsKey("secretKeyRef")) {
        Map<String, Object> ref = map(map(from).get("secretKeyRef"));
        assertThat(ref.get("name")).isEqualTo(name);
        assertThat(data).containsKey(str(ref, "key"));
      }
    }
    assertThat(data.values()).allSatisfy(v -> assertThat((String) v).contains("REPLACE-ME"));
  }

  // The server's configuration as the pod resolves it: the template rendered as the init
  // container does, then Main's resolution with the container's environment.
  private static ServerConfig resolvedConfig(Path tmp) throws Exception {
    ConfigFile file = ConfigFile.read(renderedConfig(tmp));
    Main main = new Main();
    new CommandLine(main).parseArgs();
    return main.resolve(file, podEnvironment());
  }

  private static Path renderedConfig(Path tmp) throws IOException {
    Map<String, Object> init = maps(podSpec.get("initContainers")).getFirst();
    String script = strings(init.get("command")).get(2);
    Matcher m =
        Pattern.compile("^sed \"s/__POD_NAME__/\\$\\{POD_NAME}/g\" (\\S+) > (\\S+)$")
            .matcher(script);
    assertThat(m.matches()).as(script).isTrue();
    Path template = Path.of(m.group(1));
    Path rendered = Path.of(m.group(2));
    // The template is the ConfigMap's key, mounted; the result is what VISIO_CONFIG names, on
    // a volume both containers mount.
    String templateVolume = volumeAt(init, template.getParent().toString());
    assertThat(get(volume(templateVolume), "configMap", "name"))
        .isEqualTo(str(map(only("ConfigMap").get("metadata")), "name"));
    assertThat(volumeAt(init, rendered.getParent().toString()))
        .isEqualTo(volumeAt(container, rendered.getParent().toString()));
    assertThat(podEnvironment()).containsEntry("VISIO_CONFIG", rendered.toString());
    assertThat(fieldRefs(init)).containsEntry("POD_NAME", "metadata.name");
    String yaml =
        str(map(only("ConfigMap").get("data")), template.getFileName().toString())
            .replace("__POD_NAME__", POD_NAME);
    Path out = tmp.resolve("config.yaml");
    Files.writeString(out, yaml);
    return out;
  }

  private static Map<String, String> podEnvironment() {
    Map<String, Object> secret = map(only("Secret").get("stringData"));
    Map<String, String> fields = Map.of("metadata.name", POD_NAME, "status.hostIP", HOST_IP);
    Map<String, String> env = new HashMap<>();
    for (Map<String, Object> e : maps(container.get("env"))) {
      String name = str(e, "name");
      if (e.containsKey("value")) {
        env.put(name, str(e, "value"));
      } else if (map(e.get("valueFrom")).containsKey("secretKeyRef")) {
        env.put(name, (String) secret.get(str(map(get(e, "valueFrom", "secretKeyRef")), "key")));
      } else {
        String field = str(map(get(e, "valueFrom", "fieldRef")), "fieldPath");
        assertThat(fields).containsKey(field);
        env.put(name, fields.get(field));
      }
    }
    return env;
  }

  private static Map<String, String> fieldRefs(Map<String, Object> c) {
    Map<String, String> out = new HashMap<>();
    for (Map<String, Object> e : maps(c.get("env"))) {
      if (e.get("valueFrom") != null && map(e.get("valueFrom")).containsKey("fieldRef")) {
        out.put(str(e, "name"), str(map(get(e, "valueFrom", "fieldRef")), "fieldPath"));
      }
    }
    return out;
  }

  // drain_timeout as written in the ConfigMap (seconds), else the default.
  private static int drainTimeoutSeconds() {
    Map<String, Object> config =
        map(yaml().load(str(map(only("ConfigMap").get("data")), "config.yaml")));
    Object t = config.get("drain_timeout");
    if (t == null) {
      return DEFAULT_DRAIN_SECONDS;
    }
    Matcher m = Pattern.compile("(\\d+)").matcher(t.toString());
    assertThat(m.matches()).as("drain_timeout " + t).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static boolean writableMount(String path) {
    for (Map<String, Object> mount : maps(container.get("volumeMounts"))) {
      String at = str(mount, "mountPath");
      if ((path.equals(at) || path.startsWith(at + "/"))
          && !Boolean.TRUE.equals(mount.get("readOnly"))) {
        return volume(str(mount, "name")).containsKey("emptyDir");
      }
    }
    return false;
  }

  private static String volumeAt(Map<String, Object> c, String mountPath) {
    for (Map<String, Object> mount : maps(c.get("volumeMounts"))) {
      if (mountPath.equals(mount.get("mountPath"))) {
        return str(mount, "name");
      }
    }
    throw new AssertionError(c.get("name") + " mounts nothing at " + mountPath);
  }

  private static Map<String, Object> volume(String name) {
    for (Map<String, Object> v : maps(podSpec.get("volumes"))) {
      if (name.equals(v.get("name"))) {
        return v;
      }
    }
    throw new AssertionError("no volume " + name);
  }

  private static String probePath(String probe) {
    return (String) get(container, probe, "httpGet", "path");
  }

  private static int portNamed(String name) {
    for (Map<String, Object> p : maps(container.get("ports"))) {
      if (name.equals(p.get("name"))) {
        return num(p, "containerPort");
      }
    }
    throw new AssertionError("no container port named " + name);
  }

  private static Map<String, Object> podLabels() {
    return map(get(statefulSet, "spec", "template", "metadata", "labels"));
  }

  private static List<Path> manifests() throws IOException {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.filter(p -> p.toString().endsWith(".yaml"))
          .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
          .sorted()
          .toList();
    }
  }

  private static Map<String, Object> only(String kind) {
    List<Map<String, Object>> all = byKind.getOrDefault(kind, List.of());
    assertThat(all).as(kind).hasSize(1);
    return all.getFirst();
  }

  private static Yaml yaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }

  private static Object get(Object root, String... path) {
    Object at = root;
    for (String key : path) {
      at = map(at).get(key);
      if (at == null) {
        throw new AssertionError("missing " + String.join(".", path));
      }
    }
    return at;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  private static List<Map<String, Object>> maps(Object o) {
    assertThat(o).isInstanceOf(List.class);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object e : (List<?>) o) {
      out.add(map(e));
    }
    return out;
  }

  private static List<String> strings(Object o) {
    assertThat(o).isInstanceOf(List.class);
    List<String> out = new ArrayList<>();
    for (Object e : (List<?>) o) {
      out.add((String) e);
    }
    return out;
  }

  private static String str(Map<String, Object> m, String key) {
    assertThat(m.get(key)).as(key).isInstanceOf(String.class);
    return (String) m.get(key);
  }

  private static int num(Map<String, Object> m, String key) {
    assertThat(m.get(key)).as(key).isInstanceOf(Integer.class);
    return (Integer) m.get(key);
  }
}
