package eu.visio.loadtest.target;

/**
 * What one bot of a scenario does, whatever the target.
 *
 * @param room the room it joins
 * @param identity its participant identity (and its name in reports)
 * @param audio whether it publishes audio
 * @param video whether it publishes simulcast video
 * @param layers simulcast layers its video has
 * @param recvAudio audio tracks it receives (receive slots it offers up front)
 * @param recvVideo video tracks it receives
 * @param layer the video layer it asks for as a subscriber (0 low, 1 medium, 2 high), and the one
 *     it sends to a target without layer selection (the bare relay)
 */
public record BotPlan(
    String room,
    String identity,
    boolean audio,
    boolean video,
    int layers,
    int recvAudio,
    int recvVideo,
    int layer) {

  public BotPlan {
    if (layers < 1 || layers > 3 || layer < 0 || layer >= layers) {
      throw new IllegalArgumentException("1-3 layers, and the wanted layer among them");
    }
    if (recvAudio < 0 || recvVideo < 0) {
      throw new IllegalArgumentException("negative receive counts");
    }
  }

  /** Whether it sends media. */
  public boolean publishes() {
    return audio || video;
  }

  /** Whether it receives media. */
  public boolean subscribes() {
    return recvAudio > 0 || recvVideo > 0;
  }
}
