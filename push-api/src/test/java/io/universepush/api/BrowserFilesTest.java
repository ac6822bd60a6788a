package io.universepush.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.universepush.api.support.Http.Answer;
import io.universepush.api.support.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The browser SDK and the demo page: static files on the public listener, without credentials, rate limits or a
 * body; the admin listener does not serve them.
 */
class BrowserFilesTest {
  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.shared();
  }

  @Test
  void theSdkIsAnEsModuleOnThePublicListener() {
    Answer sdk = cluster.http.get(cluster.publicUrl + "/sdk/universe-push.js");
    assertThat(sdk.status()).isEqualTo(200);
    assertThat(sdk.header("Content-Type")).contains("javascript");
    assertThat(sdk.raw().body()).contains("export class PushClient").contains("export async function register");
  }

  @Test
  void theDemoPageIsServedAtSlashDemo() {
    for (String path : new String[] {"/demo", "/demo/", "/demo/index.html"}) {
      Answer page = cluster.http.get(cluster.publicUrl + path);
      assertThat(page.status()).as(path).isEqualTo(200);
      assertThat(page.header("Content-Type")).as(path).contains("text/html");
      assertThat(page.raw().body()).as(path).contains("<script type=\"module\" src=\"/demo/demo.js\">");
    }
    Answer script = cluster.http.get(cluster.publicUrl + "/demo/demo.js");
    assertThat(script.status()).isEqualTo(200);
    assertThat(script.raw().body()).contains("from '/sdk/universe-push.js'");
  }

  @Test
  void theDemoAsksForTheAppSecretAsAServerCredential() {
    assertThat(cluster.http.get(cluster.publicUrl + "/demo").raw().body())
        .contains("app secret (server credential; this demo sends from your browser for convenience)")
        .contains("<input id=\"app-secret\" type=\"password\" autocomplete=\"off\" required>");
  }

  @Test
  void theAdminListenerServesNeitherSdkNorDemo() {
    for (String path : new String[] {"/sdk/universe-push.js", "/demo", "/demo/index.html"}) {
      Answer onAdmin = cluster.http.get(cluster.adminUrl + path);
      assertThat(onAdmin.status()).as(path).isEqualTo(404);
      assertThat(onAdmin.error()).as(path).isEqualTo("not_found");
    }
  }

  @Test
  void anUnknownStaticPathIsAJson404() {
    Answer missing = cluster.http.get(cluster.publicUrl + "/sdk/nothing-here.js");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.error()).isEqualTo("not_found");
  }
}
